import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Lake, LakeObject } from './lake.js';

function assertKey(key: string): void {
  if (key === '' || key.startsWith('/') || key.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw new Error(`invalid lake key: ${key}`);
  }
}

/** A lake in a local folder: keys are relative paths; writes go to a temp file and are renamed into place. */
export function createLocalLake(dir: string): Lake {
  const root = path.resolve(dir);
  const walk = async (rel: string, out: LakeObject[]): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path.join(root, rel), { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const key = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(key, out);
      else if (e.isFile() && !e.name.startsWith('.tmp-')) out.push({ key, size: (await stat(path.join(root, key))).size });
    }
  };
  return {
    put: async (key, body) => {
      assertKey(key);
      const file = path.join(root, key);
      await mkdir(path.dirname(file), { recursive: true });
      const tmp = path.join(path.dirname(file), `.tmp-${randomBytes(6).toString('hex')}`);
      await writeFile(tmp, body);
      await rename(tmp, file);
    },
    get: async (key) => {
      assertKey(key);
      try {
        return new Uint8Array(await readFile(path.join(root, key)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    list: async (prefix) => {
      // Walk only the folder the prefix names, then filter by the full prefix.
      const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      const out: LakeObject[] = [];
      await walk(folder, out);
      return out.filter((o) => o.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
  };
}
