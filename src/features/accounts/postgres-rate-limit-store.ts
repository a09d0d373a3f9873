import type { PgPool } from '../../db/postgres/connection.js';
import type { RateLimitStore } from './rate-limit.store.js';

export function createPostgresRateLimitStore(pool: PgPool): RateLimitStore {
  return {
    // One statement, so concurrent instances cannot lose a hit between read and write.
    hit: async (key, windowMs, now) => {
      const ms = now.getTime();
      const { rows } = await pool.query<{ window_start: string; count: number }>(
        `INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.count + 1 END,
           window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 ELSE rate_limits.window_start END
         RETURNING window_start, count`,
        [key, ms, ms - windowMs],
      );
      const row = rows[0]!;
      return { count: row.count, resetAt: new Date(Number(row.window_start) + windowMs) };
    },
    peek: async (key, windowMs, now) => {
      const { rows } = await pool.query<{ window_start: string; count: number }>(
        'SELECT window_start, count FROM rate_limits WHERE key = $1 AND window_start > $2',
        [key, now.getTime() - windowMs],
      );
      const row = rows[0];
      return row
        ? { count: row.count, resetAt: new Date(Number(row.window_start) + windowMs) }
        : { count: 0, resetAt: new Date(now.getTime() + windowMs) };
    },
    clear: async (key) => {
      await pool.query('DELETE FROM rate_limits WHERE key = $1', [key]);
    },
    prune: async (before) => (await pool.query('DELETE FROM rate_limits WHERE window_start < $1', [before.getTime()])).rowCount ?? 0,
  };
}
