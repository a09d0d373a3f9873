import type { SqliteDb } from '../../db/sqlite/connection.js';
import type { LikeStore } from './like.store.js';

/** How often a watching process polls the change counter, unless told otherwise. */
export const SQLITE_LIKE_POLL_MS = 500;
/** More changed accounts than this in one poll: every cached set is dropped instead. */
const MAX_CHANGES_PER_POLL = 1000;

export function createSqliteLikeStore(db: SqliteDb, options: { pollMs?: number } = {}): LikeStore {
  const pollMs = options.pollMs ?? SQLITE_LIKE_POLL_MS;
  const insert = db.prepare('INSERT INTO likes (user_id, run_id, created_at) VALUES (?, ?, ?) ON CONFLICT (user_id, run_id) DO NOTHING');
  const remove = db.prepare('DELETE FROM likes WHERE user_id = ? AND run_id = ?');
  // Under the write lock the transaction holds, so the numbers commit in increasing order.
  const stamp = db.prepare(
    `INSERT INTO like_changes (user_id, seq) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM like_changes))
     ON CONFLICT (user_id) DO UPDATE SET seq = excluded.seq`,
  );
  const list = db.prepare('SELECT run_id AS runId, created_at AS likedAt FROM likes WHERE user_id = ? ORDER BY created_at, rowid');
  const latest = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM like_changes').pluck();
  const since = db.prepare('SELECT user_id AS userId, seq FROM like_changes WHERE seq > ? ORDER BY seq LIMIT ?');

  // BEGIN IMMEDIATE: the write lock first, so that the change number and the write commit together.
  const write = db.transaction((statement: typeof insert, userId: string, args: unknown[]): boolean => {
    if (statement.run(...args).changes === 0) return false;
    stamp.run(userId);
    return true;
  });

  return {
    like: async (userId, runId, at) => write.immediate(insert, userId, [userId, runId, at.getTime()]),
    unlike: async (userId, runId) => write.immediate(remove, userId, [userId, runId]),
    list: async (userId) => (list.all(userId) as { runId: string; likedAt: number }[]).map((r) => ({ runId: r.runId, likedAt: new Date(r.likedAt) })),
    watch: async (listener, onError) => {
      let seen = latest.get() as number;
      const poll = (): void => {
        try {
          const rows = since.all(seen, MAX_CHANGES_PER_POLL + 1) as { userId: string; seq: number }[];
          if (rows.length === 0) return;
          if (rows.length > MAX_CHANGES_PER_POLL) {
            seen = latest.get() as number;
            listener.resync();
            return;
          }
          seen = rows[rows.length - 1]!.seq;
          for (const r of rows) listener.changed(r.userId);
        } catch (err) {
          onError(err);
        }
      };
      const timer = setInterval(poll, pollMs);
      timer.unref();
      return { close: async () => clearInterval(timer) };
    },
  };
}
