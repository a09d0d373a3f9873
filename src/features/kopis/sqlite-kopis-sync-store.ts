import type { SqliteDb } from '../../db/sqlite/connection.js';
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
  started_at: string;
  finished_at: string | null;
}

interface ProblemRow {
  mt20id: string;
  reason: string;
  item: string;
  attempts: number;
  first_seen: string;
  last_seen: string;
  sync_id: string;
}

const CHUNK = 500;

const problemOfRow = (r: ProblemRow): RecordProblem => ({
  mt20id: r.mt20id,
  reason: r.reason,
  item: r.item,
  attempts: Number(r.attempts),
  firstSeen: new Date(r.first_seen),
  lastSeen: new Date(r.last_seen),
  syncId: r.sync_id,
});

const linkOfRow = (r: LinkRow): KopisLink => ({
  mt20id: r.mt20id,
  performanceId: r.performance_id,
  duplicatekey: r.duplicatekey,
  listHash: r.list_hash,
  recordHash: r.record_hash,
  syncId: r.sync_id,
});

const syncOfRow = (r: SyncRow): SyncRecord => ({
  id: r.id,
  scope: r.scope,
  plan: r.plan,
  nextStep: Number(r.next_step),
  nextPage: Number(r.next_page),
  counts: JSON.parse(r.counts) as SyncCounts,
  startedAt: new Date(r.started_at),
  finishedAt: r.finished_at === null ? undefined : new Date(r.finished_at),
});

export function createSqliteKopisSyncStore(db: SqliteDb): KopisSyncStore {
  const stage = db.prepare(`
    INSERT INTO kopis_runs (mt20id, performance_id, duplicatekey, list_hash, record_hash, pending, sync_id, fetched_at)
    VALUES (@mt20id, @performanceId, @duplicatekey, @listHash, @recordHash, @pending, @syncId, @at)
    ON CONFLICT (mt20id) DO UPDATE SET performance_id = excluded.performance_id, duplicatekey = excluded.duplicatekey,
      list_hash = excluded.list_hash, record_hash = excluded.record_hash,
      pending = COALESCE(excluded.pending, kopis_runs.pending), sync_id = excluded.sync_id, fetched_at = excluded.fetched_at`);
  const pending = db.prepare('SELECT mt20id, pending AS run FROM kopis_runs WHERE pending IS NOT NULL ORDER BY fetched_at, mt20id LIMIT ?');
  const written = db.prepare('UPDATE kopis_runs SET pending = NULL WHERE mt20id = ?');
  const SYNC_COLUMNS = 'id, scope, plan, next_step, next_page, counts, started_at, finished_at';
  const open = db.prepare(`SELECT ${SYNC_COLUMNS} FROM kopis_syncs WHERE finished_at IS NULL AND abandoned = 0 ORDER BY started_at DESC LIMIT 1`);
  const last = db.prepare(`SELECT ${SYNC_COLUMNS} FROM kopis_syncs WHERE finished_at IS NOT NULL AND scope = ? ORDER BY started_at DESC LIMIT 1`);
  const start = db.prepare(
    'INSERT INTO kopis_syncs (id, scope, plan, next_step, next_page, counts, started_at) VALUES (@id, @scope, @plan, @nextStep, @nextPage, @counts, @startedAt)',
  );
  const advance = db.prepare('UPDATE kopis_syncs SET next_step = ?, next_page = ?, counts = ? WHERE id = ?');
  const finish = db.prepare('UPDATE kopis_syncs SET finished_at = ?, counts = ? WHERE id = ?');
  const abandon = db.prepare('UPDATE kopis_syncs SET abandoned = 1 WHERE id = ?');
  // One statement: processes sharing the database cannot both take the last call.
  const take = db.prepare(`
    INSERT INTO kopis_calls (day, calls) VALUES (@day, 1)
    ON CONFLICT (day) DO UPDATE SET calls = kopis_calls.calls + 1 WHERE kopis_calls.calls < @limit`);
  const calls = db.prepare('SELECT calls FROM kopis_calls WHERE day = ?').pluck();
  const recordProblem = db.prepare(`
    INSERT INTO kopis_record_problems (mt20id, reason, item, attempts, first_seen, last_seen, sync_id)
    VALUES (@mt20id, @reason, @item, 1, @at, @at, @syncId)
    ON CONFLICT (mt20id) DO UPDATE SET reason = excluded.reason, item = excluded.item, last_seen = excluded.last_seen,
      attempts = kopis_record_problems.attempts + CASE WHEN kopis_record_problems.sync_id = excluded.sync_id THEN 0 ELSE 1 END,
      sync_id = excluded.sync_id
    RETURNING attempts`);
  const clearProblem = db.prepare('DELETE FROM kopis_record_problems WHERE mt20id = ?');
  const toRetry = db.prepare(`
    SELECT mt20id, reason, item, attempts, first_seen, last_seen, sync_id FROM kopis_record_problems
    WHERE sync_id <> ? AND attempts < ? ORDER BY last_seen, mt20id LIMIT ?`);
  const problemCounts = db.prepare(
    'SELECT COALESCE(SUM(attempts < @max), 0) AS open, COALESCE(SUM(attempts >= @max), 0) AS givenUp FROM kopis_record_problems',
  );
  const writtenAll = db.transaction((ids: readonly string[]) => {
    for (const id of ids) written.run(id);
  });

  return {
    links: async (ids) => {
      const out = new Map<string, KopisLink>();
      const unique = [...new Set(ids)];
      for (let i = 0; i < unique.length; i += CHUNK) {
        const part = unique.slice(i, i + CHUNK);
        const rows = db
          .prepare(
            `SELECT mt20id, performance_id, duplicatekey, list_hash, record_hash, sync_id FROM kopis_runs WHERE mt20id IN (${part.map(() => '?').join(',')})`,
          )
          .all(...part) as LinkRow[];
        for (const r of rows) out.set(r.mt20id, linkOfRow(r));
      }
      return out;
    },
    stage: async (run) => {
      stage.run({ ...run, at: run.at.toISOString() });
    },
    pending: async (limit) => pending.all(limit) as { mt20id: string; run: string }[],
    written: async (ids) => writtenAll(ids),
    openSync: async () => {
      const row = open.get() as SyncRow | undefined;
      return row && syncOfRow(row);
    },
    lastFinished: async (scope) => {
      const row = last.get(scope) as SyncRow | undefined;
      return row && syncOfRow(row);
    },
    startSync: async (s) => {
      start.run({ ...s, counts: JSON.stringify(s.counts), startedAt: s.startedAt.toISOString() });
    },
    advance: async (id, step, page, counts) => {
      advance.run(step, page, JSON.stringify(counts), id);
    },
    finish: async (id, at, counts) => {
      finish.run(at.toISOString(), JSON.stringify(counts), id);
    },
    abandon: async (id) => {
      abandon.run(id);
    },
    takeCall: async (day, limit) => take.run({ day, limit }).changes === 1,
    callsOn: async (day) => (calls.get(day) as number | undefined) ?? 0,
    recordProblem: async (p) => (recordProblem.get({ ...p, at: p.at.toISOString() }) as { attempts: number }).attempts,
    clearProblem: async (mt20id) => {
      clearProblem.run(mt20id);
    },
    problemsToRetry: async (syncId, maxAttempts, limit) => (toRetry.all(syncId, maxAttempts, limit) as ProblemRow[]).map(problemOfRow),
    problemCounts: async (maxAttempts) => {
      const row = problemCounts.get({ max: maxAttempts }) as { open: number; givenUp: number };
      return { open: Number(row.open), givenUp: Number(row.givenUp) };
    },
  };
}
