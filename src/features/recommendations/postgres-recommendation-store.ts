import { inTransaction, type PgPool } from '../../db/postgres/connection.js';
import type { RecommendationEntry, RecommendationStore } from './recommendation.store.js';

const CHUNK = 1000;

export function createPostgresRecommendationStore(pool: PgPool): RecommendationStore {
  return {
    get: async (id) => {
      const { rows } = await pool.query<{ similar_ids: string[] }>({
        name: 'recommendation-get',
        text: 'SELECT similar_ids FROM recommendations WHERE performance_id = $1',
        values: [id],
      });
      return rows[0]?.similar_ids;
    },
    missingAmong: async (ids) => {
      if (ids.length === 0) return [];
      const { rows } = await pool.query<{ performance_id: string }>(
        'SELECT performance_id FROM recommendations WHERE performance_id = ANY($1::text[])',
        [ids],
      );
      const have = new Set(rows.map((r) => r.performance_id));
      return ids.filter((id) => !have.has(id));
    },
    putMany: async (entries, computedAt) => {
      // One row per run, the last entry winning (one INSERT cannot touch a row twice).
      const byRun = new Map<string, RecommendationEntry>();
      for (const e of entries) byRun.set(e.performance_id, e);
      const all = [...byRun.values()].sort((a, b) => (a.performance_id < b.performance_id ? -1 : 1));
      if (all.length === 0) return;
      await inTransaction(pool, async (client) => {
        for (let i = 0; i < all.length; i += CHUNK) {
          // Lists differ in length, so they travel as one JSON document rather than a 2-D array.
          await client.query(
            `INSERT INTO recommendations (performance_id, similar_ids, computed_at)
             SELECT e.performance_id, e.similar_ids, $2 FROM json_to_recordset($1::json) AS e (performance_id text, similar_ids text[])
             ON CONFLICT (performance_id) DO UPDATE SET similar_ids = excluded.similar_ids, computed_at = excluded.computed_at`,
            [JSON.stringify(all.slice(i, i + CHUNK)), computedAt],
          );
        }
      });
    },
  };
}
