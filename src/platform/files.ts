import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** A regular file under a root folder: its path relative to the root, with `/` separators, and its size. */
export interface FileUnder {
  key: string;
  size: number;
}

/**
 * Every regular file under `dir` (a folder inside `root`, or root itself) whose name `include`
 * accepts (checked before the file is read, so that a file being renamed away, such as a temp file
 * of a write in progress, is never stat'ed); a missing folder has none, and a file that vanishes
 * between the listing and its stat is left out.
 */
export async function filesUnder(root: string, dir: string = root, include: (name: string) => boolean = () => true): Promise<FileUnder[]> {
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
      else if (entry.isFile() && include(entry.name)) {
        const size = await stat(full).then(
          (st) => st.size,
          (err: NodeJS.ErrnoException) => {
            if (err.code === 'ENOENT') return undefined;
            throw err;
          },
        );
        if (size !== undefined) out.push({ key: path.relative(root, full).split(path.sep).join('/'), size });
      }
    }
  };
  await walk(dir);
  return out;
}
