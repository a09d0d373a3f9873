import type { PgPool } from '../../db/postgres/connection.js';
import { LIKES_CHANGED, listen } from '../../db/postgres/notifications.js';
import type { LikeStore } from './like.store.js';

/**
 * `url` is the pool's database: watching keeps a dedicated connection LISTENing there. Each write
 * that changes something notifies in the same statement, so the notification goes out exactly
 * when the change commits (and not at all when it changed nothing or rolled back).
 */
export function createPostgresLikeStore(pool: PgPool, options: { url: string }): LikeStore {
  return {
    // A concurrent insert of the same key waits for the first to commit, then inserts nothing.
    like: async (userId, runId, at) =>
      (
        await pool.query(
          `WITH added AS (
             INSERT INTO likes (user_id, run_id, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (user_id, run_id) DO NOTHING RETURNING user_id
           )
           SELECT pg_notify($4, user_id) FROM added`,
          [userId, runId, at, LIKES_CHANGED],
        )
      ).rowCount === 1,
    unlike: async (userId, runId) =>
      (
        await pool.query(
          `WITH removed AS (DELETE FROM likes WHERE user_id = $1 AND run_id = $2 RETURNING user_id)
           SELECT pg_notify($3, user_id) FROM removed`,
          [userId, runId, LIKES_CHANGED],
        )
      ).rowCount === 1,
    list: async (userId) => {
      const { rows } = await pool.query<{ run_id: string; created_at: Date }>(
        'SELECT run_id, created_at FROM likes WHERE user_id = $1 ORDER BY created_at, seq',
        [userId],
      );
      return rows.map((r) => ({ runId: r.run_id, likedAt: r.created_at }));
    },
    watch: (listener, onError) =>
      listen(options.url, LIKES_CHANGED, (userId) => (userId === undefined ? listener.resync() : listener.changed(userId)), onError),
  };
}
