import type { PerformanceStore, UpsertCounts } from './catalog.store.js';
import { runText, summarize, toDocumentJson, type Performance } from './performance.js';

/** In-process store for unit tests; behaves like the SQL adapters (see the contract test). */
export function createMemoryPerformanceStore(): PerformanceStore {
  const byId = new Map<string, string>();
  let version = 0;
  const all = () => [...byId.values()].map((d) => JSON.parse(d) as Performance);
  const findByIds = (ids: readonly string[]) => [...new Set(ids)].filter((id) => byId.has(id)).map((id) => JSON.parse(byId.get(id)!) as Performance);
  const findByDuplicateKeys = (keys: readonly string[]) => {
    const wanted = new Set(keys);
    return all().filter((p) => wanted.has(p.duplicatekey));
  };
  const upsertMany = (runs: readonly Performance[]): UpsertCounts => {
    // Uniqueness holds for the catalogue as it will be: runs of the batch may swap keys.
    const batchIds = new Set(runs.map((r) => r._id));
    const keys = new Map(
      all()
        .filter((p) => !batchIds.has(p._id))
        .map((p) => [p.duplicatekey, p._id]),
    );
    for (const run of runs) {
      const holder = keys.get(run.duplicatekey);
      if (holder !== undefined && holder !== run._id) {
        throw new Error(`duplicatekey ${run.duplicatekey} is already used by ${holder}`);
      }
      keys.set(run.duplicatekey, run._id);
    }
    let inserted = 0;
    let updated = 0;
    for (const run of runs) {
      if (byId.has(run._id)) updated += 1;
      else inserted += 1;
      byId.set(run._id, toDocumentJson(run));
    }
    if (runs.length > 0) version += 1;
    return { inserted, updated };
  };
  return {
    version: async () => version,
    count: async () => byId.size,
    summaries: async () =>
      all()
        .map(summarize)
        .sort((a, b) =>
          a.start_date !== b.start_date
            ? a.start_date < b.start_date
              ? -1
              : 1
            : a.title !== b.title
              ? a.title < b.title
                ? -1
                : 1
              : a.id < b.id
                ? -1
                : a.id > b.id
                  ? 1
                  : 0,
        ),
    documentJson: async (id) => byId.get(id),
    findByIds: async (ids) => findByIds(ids),
    findByDuplicateKeys: async (keys) => findByDuplicateKeys(keys),
    textBatch: async (afterId, limit) =>
      [...byId.keys()]
        .filter((id) => afterId === undefined || id > afterId)
        .sort()
        .slice(0, limit)
        .map((id) => runText(JSON.parse(byId.get(id)!) as Performance)),
    upsertMany: async (runs) => upsertMany(runs),
    // Synchronous from the read to the write: nothing else runs in between.
    upsertResolved: async (lookup, decide) => {
      const stored = [...findByIds(lookup.ids), ...findByDuplicateKeys(lookup.keys)];
      const { writes, result } = decide(stored);
      if (writes.length > 0) upsertMany(writes);
      return result;
    },
  };
}
