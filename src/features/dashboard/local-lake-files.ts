import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { filesUnder } from '../../platform/files.js';
import {
  filesForRange,
  LAKE_ROOT,
  lakeKeyPath,
  parseLakeKey,
  topicPrefix,
  unsafeLakeKeyReason,
  type Lake,
  type LakeObject,
  type TimeRange,
  type Topic,
} from '../../pipeline/index.js';
import { AnalyticsUnavailable } from './analytics-engine.js';

/**
 * Local paths of the lake's Parquet files, for an engine that reads files (DuckDB). A `file://`
 * lake is read where it is; an `s3://` lake through a size-bounded local copy, because DuckDB's S3
 * extension is not built in and cannot be downloaded on machines without internet.
 */
export interface LakeFiles {
  /**
   * The current files of each topic, as local paths: those that can hold events of `range`
   * (by their names, `filesForRange`), or all of them without a range.
   */
  filesOf(topics: readonly Topic[], range?: TimeRange): Promise<Map<Topic, string[]>>;
}

/** Told once per key the listing holds that cannot be a file under the folder (it is skipped). */
export type UnsafeKeyWarning = (key: string, reason: string) => void;

/**
 * The event files of a listing with their local paths under `root`: keys that are no event file
 * are left out, and so are keys that would name a file outside `root` (`..`, absolute, …), which
 * are reported once each and never read, written or deleted.
 */
function localFiles(
  objects: readonly LakeObject[],
  root: string,
  accept: (topic: Topic) => boolean,
  warn: (key: string) => void,
  range: TimeRange | undefined,
) {
  const out: { object: LakeObject; topic: Topic; file: string }[] = [];
  for (const object of range === undefined ? objects : filesForRange(objects, range)) {
    const parsed = parseLakeKey(object.key);
    if (parsed === undefined || !accept(parsed.topic)) continue;
    const file = lakeKeyPath(root, object.key);
    if (file === undefined) warn(object.key);
    else out.push({ object, topic: parsed.topic, file });
  }
  return out;
}

function onceEach(onUnsafeKey: UnsafeKeyWarning | undefined): (key: string) => void {
  const told = new Set<string>();
  return (key) => {
    if (told.has(key) || told.size >= 1000) return;
    told.add(key);
    onUnsafeKey?.(key, unsafeLakeKeyReason(key) ?? 'outside the folder');
  };
}

/** A `file://` lake: its own files, listed through the lake port. */
export function createDirectLakeFiles(lake: Lake, root: string, onUnsafeKey?: UnsafeKeyWarning): LakeFiles {
  const warn = onceEach(onUnsafeKey);
  return {
    async filesOf(topics, range) {
      const out = new Map<Topic, string[]>();
      for (const topic of topics) {
        const objects = await lake.list(topicPrefix(topic));
        out.set(
          topic,
          localFiles(objects, root, (t) => t === topic, warn, range).map((f) => f.file),
        );
      }
      return out;
    },
  };
}

export interface LakeCacheOptions {
  /** The lake to copy from (S3, or any other). */
  lake: Lake;
  /** Folder of the copies; owned by the cache (files it does not know are removed). */
  dir: string;
  maxBytes: number;
  /** Downloads at once. */
  concurrency?: number;
  /** Keys of the listing that would land outside `dir` are skipped, and reported here once each. */
  onUnsafeKey?: UnsafeKeyWarning;
}

interface Copy {
  size: number;
  /** Higher is more recently needed. */
  used: number;
}

/**
 * Copies of the lake's files in a local folder, at most `maxBytes` of them. Each call lists the
 * lake, downloads what is missing or changed (a different size: a batch rewritten by
 * `repair-lake`), and evicts the least recently needed copies that the call does not need. A
 * call that needs more than `maxBytes` at once is refused (raise ADMIN_LAKE_CACHE_MB or narrow the
 * range). Calls run one at a time, so two dashboards never download the same file twice.
 */
export function createCachedLakeFiles(options: LakeCacheOptions): LakeFiles & { usedBytes(): number } {
  const { lake, dir, maxBytes } = options;
  const concurrency = options.concurrency ?? 4;
  const warn = onceEach(options.onUnsafeKey);
  // Every key below was accepted by `lakeKeyPath` when it entered `copies` or `needed`.
  const pathOf = (key: string) => lakeKeyPath(dir, key)!;
  const copies = new Map<string, Copy>();
  let tick = 0;
  let adopted = false;
  let queue: Promise<unknown> = Promise.resolve();

  // Copies left by an earlier process count against the budget; anything not a lake file goes.
  const adopt = async () => {
    for (const f of await filesUnder(dir)) {
      const file = lakeKeyPath(dir, f.key);
      if (file === undefined) continue; // cannot happen for a file found under dir; never delete outside it
      if (parseLakeKey(f.key)) copies.set(f.key, { size: f.size, used: 0 });
      else await rm(file, { force: true });
    }
    adopted = true;
  };

  const download = async (object: LakeObject) => {
    const body = await lake.get(object.key);
    if (body === undefined) return false; // removed since the listing
    const file = pathOf(object.key);
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.part`;
    await writeFile(temp, body);
    await rename(temp, file);
    copies.set(object.key, { size: body.byteLength, used: tick });
    return true;
  };

  const sync = async (topics: readonly Topic[], range: TimeRange | undefined): Promise<Map<Topic, string[]>> => {
    if (!adopted) await adopt();
    tick += 1;
    const wanted = new Set<string>(topics);
    // only the range's files are copied, so the budget bounds a range, not the lake's history
    const needed = localFiles(await lake.list(LAKE_ROOT), dir, (t) => wanted.has(t), warn, range).map((f) => f.object);
    const neededBytes = needed.reduce((sum, o) => sum + o.size, 0);
    if (neededBytes > maxBytes) {
      throw new AnalyticsUnavailable(
        'cache-too-small',
        `the lake files of these figures take ${Math.ceil(neededBytes / 1048576)} MB, more than ADMIN_LAKE_CACHE_MB (${Math.floor(maxBytes / 1048576)} MB) allows`,
      );
    }
    const missing = needed.filter((o) => copies.get(o.key)?.size !== o.size);
    for (const o of needed) {
      const copy = copies.get(o.key);
      if (copy) copy.used = tick;
    }
    // Make room first, so the folder never holds more than the budget.
    const missingBytes = missing.reduce((sum, o) => sum + o.size, 0);
    await evict(maxBytes - missingBytes, new Set(needed.filter((o) => !missing.includes(o)).map((o) => o.key)));
    const present = new Set(needed.map((o) => o.key));
    for (let i = 0; i < missing.length; i += concurrency) {
      const results = await Promise.all(missing.slice(i, i + concurrency).map(download));
      results.forEach((ok, j) => {
        if (!ok) present.delete(missing[i + j]!.key);
      });
    }
    const out = new Map<Topic, string[]>(topics.map((t) => [t, []]));
    for (const o of needed) {
      if (present.has(o.key)) out.get(parseLakeKey(o.key)!.topic)!.push(pathOf(o.key));
    }
    return out;
  };

  const evict = async (budget: number, keep: Set<string>) => {
    let total = [...copies.values()].reduce((sum, c) => sum + c.size, 0);
    const order = [...copies.entries()].filter(([key]) => !keep.has(key)).sort((a, b) => a[1].used - b[1].used);
    for (const [key, copy] of order) {
      if (total <= budget) break;
      await rm(pathOf(key), { force: true });
      copies.delete(key);
      total -= copy.size;
    }
  };

  return {
    filesOf(topics, range) {
      const run = queue.then(() => sync(topics, range));
      queue = run.catch(() => undefined);
      return run;
    },
    usedBytes: () => [...copies.values()].reduce((sum, c) => sum + c.size, 0),
  };
}
