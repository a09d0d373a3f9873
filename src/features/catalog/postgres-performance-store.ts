import type pg from 'pg';
import { inTransaction, type PgPool } from '../../db/postgres/connection.js';
import { CATALOG_CHANGED } from '../../db/postgres/notifications.js';
import type { Clock } from '../../platform/clock.js';
import type { PerformanceStore, UpsertCounts } from './catalog.store.js';
import { runText, summarize, toDocumentJson, type Performance, type PerformanceSummary } from './performance.js';

/** Rows per INSERT: large enough that 50k runs take a few dozen statements. */
const CHUNK = 1000;

const COLUMNS = ['id', 'duplicatekey', 'title', 'category', 'region', 'start_date', 'end_date', 'doc', 'summary'] as const;

// unnest() takes one array per column, so a chunk is one statement with a fixed parameter count.
// (xmax = 0) is true for a freshly inserted row and false for one ON CONFLICT updated.
const UPSERT = `
  INSERT INTO performances (${COLUMNS.join(', ')}, created_at, updated_at)
  SELECT *, $10::timestamptz, $10::timestamptz
  FROM unnest(${COLUMNS.map((_, i) => `$${i + 1}::text[]`).join(', ')})
  ON CONFLICT (id) DO UPDATE SET
    duplicatekey = excluded.duplicatekey, title = excluded.title, category = excluded.category,
    region = excluded.region, start_date = excluded.start_date, end_date = excluded.end_date,
    doc = excluded.doc, summary = excluded.summary, updated_at = excluded.updated_at
  RETURNING (xmax = 0) AS inserted`;

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * One row per id, the last occurrence winning as if the batch were written in order (one
 * INSERT cannot touch a row twice), sorted by id so concurrent writers lock rows in one order.
 */
function lastPerId(runs: readonly Performance[]): Performance[] {
  const byId = new Map<string, Performance>();
  for (const run of runs) byId.set(run._id, run);
  return [...byId.values()].sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
}

type Queryable = Pick<pg.PoolClient, 'query'>;

async function findWith(db: Queryable, column: 'id' | 'duplicatekey', values: readonly string[]): Promise<Performance[]> {
  if (values.length === 0) return [];
  const { rows } = await db.query<{ doc: string }>(`SELECT doc FROM performances WHERE ${column} = ANY($1::text[]) ORDER BY id`, [
    [...new Set(values)],
  ]);
  return rows.map((r) => JSON.parse(r.doc) as Performance);
}

/**
 * Every catalogue writer locks the version row first (each write bumps it anyway): writers take
 * turns from their first statement, so a read-modify-write sees every write committed before it
 * and no two writers wait on each other's rows in opposite orders.
 */
async function lockCatalog(client: Queryable): Promise<void> {
  await client.query('SELECT version FROM catalog_version WHERE id = 1 FOR UPDATE');
}

/** Upserts the runs and bumps the version, inside the caller's transaction. */
async function writeRuns(client: Queryable, runs: readonly Performance[], now: Date): Promise<UpsertCounts> {
  let inserted = 0;
  for (const part of chunks(lastPerId(runs), CHUNK)) {
    const columns: (string | null)[][] = COLUMNS.map(() => []);
    for (const run of part) {
      const row = [
        run._id,
        run.duplicatekey,
        run.title,
        run.category,
        run.region,
        run.start_date,
        run.end_date,
        toDocumentJson(run),
        JSON.stringify(summarize(run)),
      ];
      row.forEach((value, i) => columns[i]!.push(value ?? null));
    }
    const { rows } = await client.query<{ inserted: boolean }>(UPSERT, [...columns, now]);
    inserted += rows.filter((r) => r.inserted).length;
  }
  const { rows } = await client.query<{ version: string }>('UPDATE catalog_version SET version = version + 1 WHERE id = 1 RETURNING version');
  // Delivered on COMMIT only, so listeners never reload a write that was rolled back.
  await client.query('SELECT pg_notify($1, $2)', [CATALOG_CHANGED, rows[0]!.version]);
  // A run written twice in one batch counts once as inserted and then as updated, as in SQLite.
  return { inserted, updated: runs.length - inserted };
}

export function createPostgresPerformanceStore(pool: PgPool, deps: { clock: Clock }): PerformanceStore {
  const findMany = (column: 'id' | 'duplicatekey', values: readonly string[]) => findWith(pool, column, values);

  return {
    version: async () => {
      const { rows } = await pool.query<{ version: string }>({
        name: 'catalog-version',
        text: 'SELECT version FROM catalog_version WHERE id = 1',
      });
      return Number(rows[0]!.version);
    },
    count: async () => {
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::integer AS n FROM performances');
      return rows[0]!.n;
    },
    summaries: async () => {
      const { rows } = await pool.query<{ summary: string }>('SELECT summary FROM performances ORDER BY start_date, title, id');
      return rows.map((r) => JSON.parse(r.summary) as PerformanceSummary);
    },
    documentJson: async (id) => {
      const { rows } = await pool.query<{ doc: string }>({
        name: 'performance-doc',
        text: 'SELECT doc FROM performances WHERE id = $1',
        values: [id],
      });
      return rows[0]?.doc;
    },
    textBatch: async (afterId, limit) => {
      const { rows } = await pool.query<{ doc: string }>('SELECT doc FROM performances WHERE id > $1 ORDER BY id LIMIT $2', [afterId ?? '', limit]);
      return rows.map((r) => runText(JSON.parse(r.doc) as Performance));
    },
    findByIds: async (ids) => findMany('id', ids),
    findByDuplicateKeys: async (keys) => findMany('duplicatekey', keys),
    upsertMany: async (runs): Promise<UpsertCounts> => {
      if (runs.length === 0) return { inserted: 0, updated: 0 };
      return inTransaction(pool, async (client) => {
        await lockCatalog(client);
        return writeRuns(client, runs, deps.clock.now());
      });
    },
    upsertResolved: async (lookup, decide) =>
      inTransaction(pool, async (client) => {
        // Taken before the read: a concurrent writer waits here until this one commits, and
        // then reads what it wrote (READ COMMITTED takes a new snapshot per statement).
        await lockCatalog(client);
        const stored = [...(await findWith(client, 'id', lookup.ids)), ...(await findWith(client, 'duplicatekey', lookup.keys))];
        const { writes, result } = decide(stored);
        if (writes.length > 0) await writeRuns(client, writes, deps.clock.now());
        return result;
      }),
  };
}
