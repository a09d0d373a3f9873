import type { SqliteDb } from '../../db/sqlite/connection.js';
import type { JobLeaseStore, JobRecord } from './job-lease.store.js';

interface Row {
  holder: string | null;
  expires_at: number;
  last_started_at: number | null;
  last_finished_at: number | null;
  last_summary: string | null;
}

export function createSqliteJobLeaseStore(db: SqliteDb): JobLeaseStore {
  // One statement, so two connections racing for the lease cannot both win.
  const acquire = db.prepare(`
    INSERT INTO job_leases (job, holder, expires_at, last_started_at) VALUES (@job, @holder, @expires, @now)
    ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
      last_started_at = excluded.last_started_at
    WHERE job_leases.holder IS NULL OR job_leases.expires_at <= @now OR job_leases.holder = excluded.holder`);
  const renew = db.prepare('UPDATE job_leases SET expires_at = ? WHERE job = ? AND holder = ?');
  const release = db.prepare('UPDATE job_leases SET holder = NULL, expires_at = 0 WHERE job = ? AND holder = ?');
  const finish = db.prepare(
    'UPDATE job_leases SET holder = NULL, expires_at = 0, last_finished_at = ?, last_summary = ? WHERE job = ? AND holder = ?',
  );
  const select = db.prepare('SELECT holder, expires_at, last_started_at, last_finished_at, last_summary FROM job_leases WHERE job = ?');
  return {
    tryAcquire: async (job, holder, now, ttlMs) => acquire.run({ job, holder, expires: now + ttlMs, now }).changes === 1,
    renew: async (job, holder, now, ttlMs) => renew.run(now + ttlMs, job, holder).changes === 1,
    release: async (job, holder, now, summary) => {
      if (summary === undefined) release.run(job, holder);
      else finish.run(now, summary, job, holder);
    },
    get: async (job): Promise<JobRecord | undefined> => {
      const row = select.get(job) as Row | undefined;
      if (!row) return undefined;
      return {
        holder: row.holder,
        expiresAt: row.expires_at,
        lastStartedAt: row.last_started_at ?? undefined,
        lastFinishedAt: row.last_finished_at ?? undefined,
        lastSummary: row.last_summary ?? undefined,
      };
    },
  };
}
