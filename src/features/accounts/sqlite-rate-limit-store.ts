import type { SqliteDb } from '../../db/sqlite/connection.js';
import { blockedSlot, type RateLimitSlot, type RateLimitStore, type Reservation, type WindowCount } from './rate-limit.store.js';

class Refused extends Error {
  constructor(readonly blocked: WindowCount) {
    super('refused');
  }
}

export function createSqliteRateLimitStore(db: SqliteDb): RateLimitStore {
  // One statement, so concurrent instances cannot lose a hit between read and write.
  const hitStmt = db.prepare(`
    INSERT INTO rate_limits (key, window_start, count) VALUES (@key, @now, 1)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limits.window_start <= @cutoff THEN 1 ELSE rate_limits.count + 1 END,
      window_start = CASE WHEN rate_limits.window_start <= @cutoff THEN @now ELSE rate_limits.window_start END
    RETURNING window_start, count`);
  const peek = db.prepare('SELECT window_start, count FROM rate_limits WHERE key = ? AND window_start > ?');
  const release = db.prepare('UPDATE rate_limits SET count = count - 1 WHERE key = ? AND count > 0');
  const clear = db.prepare('DELETE FROM rate_limits WHERE key = ?');
  const prune = db.prepare('DELETE FROM rate_limits WHERE window_start < ?');

  const hit = (key: string, windowMs: number, now: Date): WindowCount => {
    const ms = now.getTime();
    const row = hitStmt.get({ key, now: ms, cutoff: ms - windowMs }) as { window_start: number; count: number };
    return { count: row.count, resetAt: new Date(row.window_start + windowMs) };
  };
  // Counts every slot, and rolls all of them back when one went over its limit.
  const reserve = db.transaction((slots: readonly RateLimitSlot[], now: Date) => {
    const blocked = blockedSlot(slots.map((slot) => ({ slot, window: hit(slot.key, slot.windowMs, now) })));
    if (blocked) throw new Refused(blocked);
  });
  const releaseAll = db.transaction((keys: readonly string[]) => {
    for (const key of keys) release.run(key);
  });

  return {
    hit: async (key, windowMs, now) => hit(key, windowMs, now),
    peek: async (key, windowMs, now) => {
      const row = peek.get(key, now.getTime() - windowMs) as { window_start: number; count: number } | undefined;
      return row ? { count: row.count, resetAt: new Date(row.window_start + windowMs) } : { count: 0, resetAt: new Date(now.getTime() + windowMs) };
    },
    reserve: async (slots, now): Promise<Reservation> => {
      try {
        reserve.immediate(slots, now);
        return { ok: true };
      } catch (err) {
        if (err instanceof Refused) return { ok: false, blocked: err.blocked };
        throw err;
      }
    },
    release: async (keys) => {
      releaseAll.immediate(keys);
    },
    clear: async (key) => {
      clear.run(key);
    },
    prune: async (before) => prune.run(before.getTime()).changes,
  };
}
