import { inTransaction, type PgPool } from '../../db/postgres/connection.js';
import type { RankedRun } from './popular.store.js';
import { type ViewCountStore, ViewTally } from './view-count.store.js';

/** Hashes per INSERT of the seen set. */
const CHUNK = 10_000;

export function createPostgresViewCountStore(pool: PgPool): ViewCountStore {
  const ranked = (rows: { ticket_id: string; views: string }[]): RankedRun[] => rows.map((r) => ({ ticket_id: r.ticket_id, views: Number(r.views) }));

  return {
    readFiles: async () => {
      const { rows } = await pool.query<{ key: string; size: string }>('SELECT key, size FROM popular_files');
      return new Map(rows.map((r) => [r.key, Number(r.size)]));
    },
    recordFiles: async (files, readAt) =>
      inTransaction(pool, async (client) => {
        const tally = new ViewTally();
        let counted = 0;
        for (const { file, views } of files) {
          const { eventHashes: hashes, ticketIds: tickets, days } = views;
          // The hashes this statement inserted are the events never counted before.
          const fresh = new Set<number>();
          for (let i = 0; i < hashes.length; i += CHUNK) {
            const { rows } = await client.query<{ hash: string }>(
              'INSERT INTO popular_seen_events (hash) SELECT unnest($1::bigint[]) ON CONFLICT DO NOTHING RETURNING hash',
              [hashes.slice(i, i + CHUNK)],
            );
            for (const r of rows) fresh.add(Number(r.hash));
          }
          let countedInFile = 0;
          hashes.forEach((h, i) => {
            // an event twice in one file counts once: the first occurrence takes the hash
            if (!fresh.delete(h)) return;
            countedInFile += 1;
            tally.add(tickets[i]!, days[i]!);
          });
          await client.query(
            `INSERT INTO popular_files (key, size, events, counted, read_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (key) DO UPDATE SET size = excluded.size, events = excluded.events,
               counted = popular_files.counted + excluded.counted, read_at = excluded.read_at`,
            [file.key, file.size, hashes.length, countedInFile, readAt],
          );
          counted += countedInFile;
        }
        if (tally.totals.size > 0) {
          await client.query(
            `INSERT INTO popular_totals (ticket_id, views) SELECT * FROM unnest($1::text[], $2::bigint[])
             ON CONFLICT (ticket_id) DO UPDATE SET views = popular_totals.views + excluded.views`,
            [[...tally.totals.keys()], [...tally.totals.values()]],
          );
        }
        const daily = tally.daily();
        if (daily.length > 0) {
          await client.query(
            `INSERT INTO popular_daily_views (day, ticket_id, views) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
             ON CONFLICT (day, ticket_id) DO UPDATE SET views = popular_daily_views.views + excluded.views`,
            [daily.map((d) => d[0]), daily.map((d) => d[1]), daily.map((d) => d[2])],
          );
        }
        return counted;
      }),
    counts: async (sinceDay) => {
      const { rows } =
        sinceDay === undefined
          ? await pool.query<{ ticket_id: string; views: string }>('SELECT ticket_id, views FROM popular_totals ORDER BY views DESC, ticket_id')
          : await pool.query<{ ticket_id: string; views: string }>(
              `SELECT ticket_id, SUM(views) AS views FROM popular_daily_views WHERE day >= $1
               GROUP BY ticket_id ORDER BY views DESC, ticket_id`,
              [sinceDay],
            );
      return ranked(rows);
    },
    pruneDaysBefore: async (day) => {
      await pool.query('DELETE FROM popular_daily_views WHERE day < $1', [day]);
    },
  };
}
