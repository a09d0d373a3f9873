import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** A regular file under a root folder: its path relative to the root, with `/` separators, and its size. */
export interface FileUnder {
  key: string;
  size: number;
}

/** Every regular file under `dir` (a folder inside `root`, or root itself); a missing folder has none. */
export async function filesUnder(root: string, dir: string = root): Promise<FileUnder[]> {
  const out: FileUnder[] = [];
  const walk = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) out.push({ key: path.relative(root, full).split(path.sep).join('/'), size: (await stat(full)).size });
    }
  };
  await walk(dir);
  return out;
}
