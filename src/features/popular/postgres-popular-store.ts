import { inTransaction, type PgPool } from '../../db/postgres/connection.js';
import type { PopularStore, RankedRun } from './popular.store.js';

export function createPostgresPopularStore(pool: PgPool): PopularStore {
  return {
    ranking: async (window) => {
      const { rows } = await pool.query<{ ticket_id: string; views: string }>(
        'SELECT ticket_id, views FROM popular_rankings WHERE "window" = $1 ORDER BY rank',
        [window],
      );
      return rows.map((r): RankedRun => ({ ticket_id: r.ticket_id, views: Number(r.views) }));
    },
    replaceRanking: async (window, rows, computedAt) =>
      inTransaction(pool, async (client) => {
        // Two jobs replacing the same window at once would otherwise both insert rank 1.
        await client.query("SELECT pg_advisory_xact_lock(hashtext('popular_rankings:' || $1))", [window]);
        await client.query('DELETE FROM popular_rankings WHERE "window" = $1', [window]);
        if (rows.length === 0) return;
        await client.query(
          `INSERT INTO popular_rankings ("window", rank, ticket_id, views, computed_at)
           SELECT $1, r.rank, r.ticket_id, r.views, $4
           FROM unnest($2::text[], $3::bigint[]) WITH ORDINALITY AS r (ticket_id, views, rank)`,
          [window, rows.map((r) => r.ticket_id), rows.map((r) => r.views), computedAt],
        );
      }),
  };
}
