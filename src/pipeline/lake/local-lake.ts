// eslint-disable-next-line no-restricted-imports -- the random suffix of a temp file name, never seen outside a put, not an id
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { filesUnder } from '../../platform/files.js';
import { requireLakeKeyPath } from './key-path.js';
import type { Lake, LakeObject } from './lake.js';

const TEMP_MARK = '.tmp-';

/**
 * A lake in a local folder. A put writes a temp file in the target's folder, syncs it and renames
 * it over the final name, so a reader sees the old object or the new one, never half of one.
 */
export function createLocalLake(root: string): Lake {
  const fileOf = (key: string) => {
    if (key.includes(TEMP_MARK)) throw new Error(`not a valid lake key: ${JSON.stringify(key)}`);
    return requireLakeKeyPath(root, key);
  };
  return {
    async put(key, body) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}${TEMP_MARK}${randomBytes(6).toString('hex')}`;
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(body);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await rename(temp, file);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
    },
    async putFile(key, source) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}${TEMP_MARK}${randomBytes(6).toString('hex')}`;
      try {
        await copyFile(source, temp);
        const handle = await open(temp, 'r+');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, file);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
    },
    async delete(key) {
      await rm(fileOf(key), { force: true });
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(fileOf(key)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    async list(prefix) {
      // Walk only the deepest folder the prefix names fully, then filter by the whole prefix.
      const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      const files = await filesUnder(root, folder === '' ? root : requireLakeKeyPath(root, folder));
      // a temp file is a put in progress (or one a crash interrupted), not an object
      return files.filter((o) => !o.key.includes(TEMP_MARK) && o.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
  };
}
