import type { SqliteDb } from '../../db/sqlite/connection.js';
import type { RateLimitStore } from './rate-limit.store.js';

export function createSqliteRateLimitStore(db: SqliteDb): RateLimitStore {
  // One statement, so concurrent instances cannot lose a hit between read and write.
  const hit = db.prepare(`
    INSERT INTO rate_limits (key, window_start, count) VALUES (@key, @now, 1)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limits.window_start <= @cutoff THEN 1 ELSE rate_limits.count + 1 END,
      window_start = CASE WHEN rate_limits.window_start <= @cutoff THEN @now ELSE rate_limits.window_start END
    RETURNING window_start, count`);
  const peek = db.prepare('SELECT window_start, count FROM rate_limits WHERE key = ? AND window_start > ?');
  const clear = db.prepare('DELETE FROM rate_limits WHERE key = ?');
  const prune = db.prepare('DELETE FROM rate_limits WHERE window_start < ?');

  return {
    hit: async (key, windowMs, now) => {
      const ms = now.getTime();
      const row = hit.get({ key, now: ms, cutoff: ms - windowMs }) as { window_start: number; count: number };
      return { count: row.count, resetAt: new Date(row.window_start + windowMs) };
    },
    peek: async (key, windowMs, now) => {
      const row = peek.get(key, now.getTime() - windowMs) as { window_start: number; count: number } | undefined;
      return row ? { count: row.count, resetAt: new Date(row.window_start + windowMs) } : { count: 0, resetAt: new Date(now.getTime() + windowMs) };
    },
    clear: async (key) => {
      clear.run(key);
    },
    prune: async (before) => prune.run(before.getTime()).changes,
  };
}
