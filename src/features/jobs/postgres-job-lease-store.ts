import type { PgPool } from '../../db/postgres/connection.js';
import type { JobLeaseStore, JobRecord } from './job-lease.store.js';

interface Row {
  holder: string | null;
  expires_at: string;
  last_started_at: string | null;
  last_finished_at: string | null;
  last_summary: string | null;
}

const num = (v: string | null) => (v === null ? undefined : Number(v));

export function createPostgresJobLeaseStore(pool: PgPool): JobLeaseStore {
  return {
    // One statement: of two instances racing for a free lease, the row lock lets only one win.
    tryAcquire: async (job, holder, now, ttlMs) =>
      (
        await pool.query(
          `INSERT INTO job_leases (job, holder, expires_at, last_started_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,
             last_started_at = excluded.last_started_at
           WHERE job_leases.holder IS NULL OR job_leases.expires_at <= $4 OR job_leases.holder = excluded.holder`,
          [job, holder, now + ttlMs, now],
        )
      ).rowCount === 1,
    renew: async (job, holder, now, ttlMs) =>
      (await pool.query('UPDATE job_leases SET expires_at = $1 WHERE job = $2 AND holder = $3', [now + ttlMs, job, holder])).rowCount === 1,
    release: async (job, holder, now, summary) => {
      if (summary === undefined) {
        await pool.query('UPDATE job_leases SET holder = NULL, expires_at = 0 WHERE job = $1 AND holder = $2', [job, holder]);
      } else {
        await pool.query(
          'UPDATE job_leases SET holder = NULL, expires_at = 0, last_finished_at = $1, last_summary = $2 WHERE job = $3 AND holder = $4',
          [now, summary, job, holder],
        );
      }
    },
    get: async (job): Promise<JobRecord | undefined> => {
      const { rows } = await pool.query<Row>(
        'SELECT holder, expires_at, last_started_at, last_finished_at, last_summary FROM job_leases WHERE job = $1',
        [job],
      );
      const row = rows[0];
      if (!row) return undefined;
      return {
        holder: row.holder,
        expiresAt: Number(row.expires_at),
        lastStartedAt: num(row.last_started_at),
        lastFinishedAt: num(row.last_finished_at),
        lastSummary: row.last_summary ?? undefined,
      };
    },
  };
}
