import type { PgPool } from '../../db/postgres/connection.js';
import type { KopisLink, KopisSyncStore, RecordProblem, SyncCounts, SyncRecord } from './kopis-sync.store.js';

interface LinkRow {
  mt20id: string;
  performance_id: string;
  duplicatekey: string | null;
  list_hash: string;
  record_hash: string | null;
  sync_id: string;
}

interface SyncRow {
  id: string;
  scope: string;
  plan: string;
  next_step: number;
  next_page: number;
  counts: string;
  started_at: Date;
  finished_at: Date | null;
}

interface ProblemRow {
  mt20id: string;
  reason: string;
  item: string;
  attempts: number;
  first_seen: Date;
  last_seen: Date;
  sync_id: string;
}

const problemOfRow = (r: ProblemRow): RecordProblem => ({
  mt20id: r.mt20id,
  reason: r.reason,
  item: r.item,
  attempts: r.attempts,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  syncId: r.sync_id,
});

const SYNC_COLUMNS = 'id, scope, plan, next_step, next_page, counts, started_at, finished_at';

const syncOfRow = (r: SyncRow): SyncRecord => ({
  id: r.id,
  scope: r.scope,
  plan: r.plan,
  nextStep: r.next_step,
  nextPage: r.next_page,
  counts: JSON.parse(r.counts) as SyncCounts,
  startedAt: r.started_at,
  finishedAt: r.finished_at ?? undefined,
});

export function createPostgresKopisSyncStore(pool: PgPool): KopisSyncStore {
  return {
    links: async (ids) => {
      const { rows } = await pool.query<LinkRow>(
        'SELECT mt20id, performance_id, duplicatekey, list_hash, record_hash, sync_id FROM kopis_runs WHERE mt20id = ANY($1::text[])',
        [[...new Set(ids)]],
      );
      return new Map(
        rows.map((r): [string, KopisLink] => [
          r.mt20id,
          {
            mt20id: r.mt20id,
            performanceId: r.performance_id,
            duplicatekey: r.duplicatekey,
            listHash: r.list_hash,
            recordHash: r.record_hash,
            syncId: r.sync_id,
          },
        ]),
      );
    },
    stage: async (run) => {
      await pool.query(
        `INSERT INTO kopis_runs (mt20id, performance_id, duplicatekey, list_hash, record_hash, pending, sync_id, fetched_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (mt20id) DO UPDATE SET performance_id = excluded.performance_id, duplicatekey = excluded.duplicatekey,
           list_hash = excluded.list_hash, record_hash = excluded.record_hash,
           pending = COALESCE(excluded.pending, kopis_runs.pending), sync_id = excluded.sync_id, fetched_at = excluded.fetched_at`,
        [run.mt20id, run.performanceId, run.duplicatekey, run.listHash, run.recordHash, run.pending, run.syncId, run.at],
      );
    },
    pending: async (limit) =>
      (
        await pool.query<{ mt20id: string; run: string }>(
          'SELECT mt20id, pending AS run FROM kopis_runs WHERE pending IS NOT NULL ORDER BY fetched_at, mt20id LIMIT $1',
          [limit],
        )
      ).rows,
    written: async (ids) => {
      await pool.query('UPDATE kopis_runs SET pending = NULL WHERE mt20id = ANY($1::text[])', [[...ids]]);
    },
    openSync: async () => {
      const { rows } = await pool.query<SyncRow>(
        `SELECT ${SYNC_COLUMNS} FROM kopis_syncs WHERE finished_at IS NULL AND NOT abandoned ORDER BY started_at DESC LIMIT 1`,
      );
      return rows[0] && syncOfRow(rows[0]);
    },
    lastFinished: async (scope) => {
      const { rows } = await pool.query<SyncRow>(
        `SELECT ${SYNC_COLUMNS} FROM kopis_syncs WHERE finished_at IS NOT NULL AND scope = $1 ORDER BY started_at DESC LIMIT 1`,
        [scope],
      );
      return rows[0] && syncOfRow(rows[0]);
    },
    startSync: async (s) => {
      await pool.query('INSERT INTO kopis_syncs (id, scope, plan, next_step, next_page, counts, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        s.id,
        s.scope,
        s.plan,
        s.nextStep,
        s.nextPage,
        JSON.stringify(s.counts),
        s.startedAt,
      ]);
    },
    advance: async (id, step, page, counts) => {
      await pool.query('UPDATE kopis_syncs SET next_step = $1, next_page = $2, counts = $3 WHERE id = $4', [step, page, JSON.stringify(counts), id]);
    },
    finish: async (id, at, counts) => {
      await pool.query('UPDATE kopis_syncs SET finished_at = $1, counts = $2 WHERE id = $3', [at, JSON.stringify(counts), id]);
    },
    abandon: async (id) => {
      await pool.query('UPDATE kopis_syncs SET abandoned = true WHERE id = $1', [id]);
    },
    // One statement: of processes racing for the last call, the row lock lets one win.
    takeCall: async (day, limit) =>
      (
        await pool.query(
          `INSERT INTO kopis_calls (day, calls) VALUES ($1, 1)
           ON CONFLICT (day) DO UPDATE SET calls = kopis_calls.calls + 1 WHERE kopis_calls.calls < $2`,
          [day, limit],
        )
      ).rowCount === 1,
    callsOn: async (day) => (await pool.query<{ calls: number }>('SELECT calls FROM kopis_calls WHERE day = $1', [day])).rows[0]?.calls ?? 0,
    recordProblem: async (p) => {
      const { rows } = await pool.query<{ attempts: number }>(
        `INSERT INTO kopis_record_problems (mt20id, reason, item, attempts, first_seen, last_seen, sync_id)
         VALUES ($1, $2, $3, 1, $4, $4, $5)
         ON CONFLICT (mt20id) DO UPDATE SET reason = excluded.reason, item = excluded.item, last_seen = excluded.last_seen,
           attempts = kopis_record_problems.attempts + CASE WHEN kopis_record_problems.sync_id = excluded.sync_id THEN 0 ELSE 1 END,
           sync_id = excluded.sync_id
         RETURNING attempts`,
        [p.mt20id, p.reason, p.item, p.at, p.syncId],
      );
      return rows[0]!.attempts;
    },
    clearProblem: async (mt20id) => {
      await pool.query('DELETE FROM kopis_record_problems WHERE mt20id = $1', [mt20id]);
    },
    problemsToRetry: async (syncId, maxAttempts, limit) =>
      (
        await pool.query<ProblemRow>(
          `SELECT mt20id, reason, item, attempts, first_seen, last_seen, sync_id FROM kopis_record_problems
           WHERE sync_id <> $1 AND attempts < $2 ORDER BY last_seen, mt20id LIMIT $3`,
          [syncId, maxAttempts, limit],
        )
      ).rows.map(problemOfRow),
    problemCounts: async (maxAttempts) => {
      const { rows } = await pool.query<{ open: number; given_up: number }>(
        `SELECT count(*) FILTER (WHERE attempts < $1)::int AS open, count(*) FILTER (WHERE attempts >= $1)::int AS given_up
         FROM kopis_record_problems`,
        [maxAttempts],
      );
      return { open: rows[0]!.open, givenUp: rows[0]!.given_up };
    },
  };
}
