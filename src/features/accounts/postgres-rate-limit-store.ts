import { inTransaction, type PgPool } from '../../db/postgres/connection.js';
import { blockedSlot, type RateLimitSlot, type RateLimitStore, type WindowCount } from './rate-limit.store.js';

// One statement, so concurrent instances cannot lose a hit between read and write; the row lock it
// takes is held to the end of the transaction.
const HIT = `
  INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1)
  ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.count + 1 END,
    window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2 ELSE rate_limits.window_start END
  RETURNING window_start, count`;

type Queryable = Pick<PgPool, 'query'>;

async function hit(db: Queryable, key: string, windowMs: number, now: Date): Promise<WindowCount> {
  const ms = now.getTime();
  const { rows } = await db.query<{ window_start: string; count: number }>(HIT, [key, ms, ms - windowMs]);
  const row = rows[0]!;
  return { count: row.count, resetAt: new Date(Number(row.window_start) + windowMs) };
}

class Refused extends Error {
  constructor(readonly blocked: WindowCount) {
    super('refused');
  }
}

export function createPostgresRateLimitStore(pool: PgPool): RateLimitStore {
  return {
    hit: (key, windowMs, now) => hit(pool, key, windowMs, now),
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
    // Counts every slot inside one transaction and rolls back when one went over its limit. Rows are
    // locked in key order, so two reservations sharing keys cannot deadlock.
    reserve: async (slots, now) => {
      const ordered = [...slots].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      try {
        await inTransaction(pool, async (client) => {
          const counted: { slot: RateLimitSlot; window: WindowCount }[] = [];
          for (const slot of ordered) counted.push({ slot, window: await hit(client, slot.key, slot.windowMs, now) });
          const blocked = blockedSlot(counted);
          if (blocked) throw new Refused(blocked);
        });
        return { ok: true };
      } catch (err) {
        if (err instanceof Refused) return { ok: false, blocked: err.blocked };
        throw err;
      }
    },
    release: async (keys) => {
      await pool.query('UPDATE rate_limits SET count = count - 1 WHERE key = ANY($1) AND count > 0', [[...keys]]);
    },
    clear: async (key) => {
      await pool.query('DELETE FROM rate_limits WHERE key = $1', [key]);
    },
    prune: async (before) => (await pool.query('DELETE FROM rate_limits WHERE window_start < $1', [before.getTime()])).rowCount ?? 0,
  };
}
