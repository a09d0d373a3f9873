import type { SqliteDb } from '../../db/sqlite/connection.js';
import type { Clock } from '../../platform/clock.js';
import type { PerformanceStore, ResolvedWrites, StoredLookup, UpsertCounts } from './catalog.store.js';
import { summarize, toDocumentJson, type Performance, type PerformanceSummary, type RunText } from './performance.js';

const CHUNK = 500;

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export function createSqlitePerformanceStore(db: SqliteDb, deps: { clock: Clock }): PerformanceStore {
  const version = db.prepare('SELECT version FROM catalog_version WHERE id = 1').pluck();
  const bump = db.prepare('UPDATE catalog_version SET version = version + 1 WHERE id = 1');
  const count = db.prepare('SELECT count(*) FROM performances').pluck();
  const summaries = db.prepare('SELECT summary FROM performances ORDER BY start_date, title, id').pluck();
  const documentJson = db.prepare('SELECT doc FROM performances WHERE id = ?').pluck();
  const exists = db.prepare('SELECT 1 FROM performances WHERE id = ?').pluck();
  // A run of the batch that moves to another key parks its old key first, so another run of
  // the same batch may take that key whatever the order (SQLite checks uniqueness per row).
  const parkKey = db.prepare('UPDATE performances SET duplicatekey = char(0) || id WHERE id = ? AND duplicatekey <> ?');
  const textBatch = db.prepare(`
    SELECT id, region, start_date, end_date, title, category, json_extract(doc, '$.description') AS description,
      (SELECT json_group_array(json_extract(a.value, '$.artist_name')) FROM json_each(doc, '$.artist') AS a) AS artists
    FROM performances WHERE id > ? ORDER BY id LIMIT ?`);
  const upsert = db.prepare(`
    INSERT INTO performances (id, duplicatekey, title, category, region, start_date, end_date, doc, summary, created_at, updated_at)
    VALUES (@id, @duplicatekey, @title, @category, @region, @start_date, @end_date, @doc, @summary, @now, @now)
    ON CONFLICT (id) DO UPDATE SET
      duplicatekey = excluded.duplicatekey, title = excluded.title, category = excluded.category,
      region = excluded.region, start_date = excluded.start_date, end_date = excluded.end_date,
      doc = excluded.doc, summary = excluded.summary, updated_at = excluded.updated_at`);

  const findMany = (column: 'id' | 'duplicatekey', values: readonly string[]): Performance[] => {
    const out: Performance[] = [];
    for (const part of chunks([...new Set(values)], CHUNK)) {
      const sql = `SELECT doc FROM performances WHERE ${column} IN (${part.map(() => '?').join(',')})`;
      for (const doc of db
        .prepare(sql)
        .pluck()
        .all(...part) as string[])
        out.push(JSON.parse(doc) as Performance);
    }
    return out;
  };

  const writeRuns = (runs: readonly Performance[]): UpsertCounts => {
    const now = deps.clock.now().toISOString();
    let inserted = 0;
    let updated = 0;
    for (const run of runs) parkKey.run(run._id, run.duplicatekey);
    for (const run of runs) {
      if (exists.get(run._id)) updated += 1;
      else inserted += 1;
      upsert.run({
        id: run._id,
        duplicatekey: run.duplicatekey,
        title: run.title,
        category: run.category,
        region: run.region,
        start_date: run.start_date,
        end_date: run.end_date,
        doc: toDocumentJson(run),
        summary: JSON.stringify(summarize(run)),
        now,
      });
    }
    if (runs.length > 0) bump.run();
    return { inserted, updated };
  };
  const writeAll = db.transaction(writeRuns);
  // Run with .immediate(): the write lock is taken before the read, so no other connection or
  // process writes between what `decide` saw and what it wrote.
  const readDecideWrite = db.transaction(<T>(lookup: StoredLookup, decide: (stored: Performance[]) => ResolvedWrites<T>): T => {
    const { writes, result } = decide([...findMany('id', lookup.ids), ...findMany('duplicatekey', lookup.keys)]);
    if (writes.length > 0) writeRuns(writes);
    return result;
  });

  return {
    version: async () => version.get() as number,
    count: async () => count.get() as number,
    summaries: async () => {
      const out: PerformanceSummary[] = [];
      for (const s of summaries.iterate() as IterableIterator<string>) out.push(JSON.parse(s) as PerformanceSummary);
      return out;
    },
    documentJson: async (id) => documentJson.get(id) as string | undefined,
    findByIds: async (ids) => findMany('id', ids),
    findByDuplicateKeys: async (keys) => findMany('duplicatekey', keys),
    textBatch: async (afterId, limit) =>
      (textBatch.all(afterId ?? '', limit) as (Omit<RunText, 'artistNames'> & { artists: string | null })[]).map(({ artists, ...row }) => ({
        ...row,
        artistNames: artists === null ? [] : (JSON.parse(artists) as (string | null)[]).filter((a): a is string => !!a),
      })),
    upsertMany: async (runs) => writeAll.immediate(runs),
    upsertResolved: async <T>(lookup: StoredLookup, decide: (stored: Performance[]) => ResolvedWrites<T>) =>
      readDecideWrite.immediate(lookup, decide) as T,
  };
}
