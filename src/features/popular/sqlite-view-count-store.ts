import type { SqliteDb } from '../../db/sqlite/connection.js';
import type { RankedRun } from './popular.store.js';
import { type ReadFile, type ViewCountStore, ViewTally } from './view-count.store.js';
import type { ViewBatch } from './view-log.js';

export function createSqliteViewCountStore(db: SqliteDb): ViewCountStore {
  const files = db.prepare('SELECT key, size FROM popular_files');
  const markSeen = db.prepare('INSERT OR IGNORE INTO popular_seen_events (hash) VALUES (?)');
  const addTotal = db.prepare(
    'INSERT INTO popular_totals (ticket_id, views) VALUES (?, ?) ON CONFLICT (ticket_id) DO UPDATE SET views = views + excluded.views',
  );
  const addDaily = db.prepare(
    'INSERT INTO popular_daily_views (day, ticket_id, views) VALUES (?, ?, ?) ON CONFLICT (day, ticket_id) DO UPDATE SET views = views + excluded.views',
  );
  const recordRead = db.prepare(`
    INSERT INTO popular_files (key, size, events, counted, read_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET size = excluded.size, events = excluded.events,
      counted = popular_files.counted + excluded.counted, read_at = excluded.read_at`);
  const totals = db.prepare('SELECT ticket_id, views FROM popular_totals ORDER BY views DESC, ticket_id');
  const since = db.prepare(`
    SELECT ticket_id, SUM(views) AS views FROM popular_daily_views WHERE day >= ?
    GROUP BY ticket_id ORDER BY views DESC, ticket_id`);
  const prune = db.prepare('DELETE FROM popular_daily_views WHERE day < ?');

  const record = db.transaction((files: readonly { file: ReadFile; views: ViewBatch }[], at: string) => {
    const tally = new ViewTally();
    let counted = 0;
    for (const { file, views } of files) {
      const { eventHashes: hashes, ticketIds: tickets, days } = views;
      let countedInFile = 0;
      // In key order each B-tree page of the seen set is visited once, not at random.
      const order = Uint32Array.from(hashes.keys()).sort((a, b) => hashes[a]! - hashes[b]!);
      for (const i of order) {
        if (markSeen.run(hashes[i]).changes === 0) continue;
        countedInFile += 1;
        tally.add(tickets[i]!, days[i]!);
      }
      recordRead.run(file.key, file.size, hashes.length, countedInFile, at);
      counted += countedInFile;
    }
    for (const [ticket, views] of tally.totals) addTotal.run(ticket, views);
    for (const [day, ticket, views] of tally.daily()) addDaily.run(day, ticket, views);
    return counted;
  });

  return {
    readFiles: async () => new Map((files.all() as { key: string; size: number }[]).map((f) => [f.key, f.size])),
    recordFiles: async (files, readAt) => record.immediate(files, readAt.toISOString()),
    counts: async (sinceDay) => (sinceDay === undefined ? totals.all() : since.all(sinceDay)) as RankedRun[],
    pruneDaysBefore: async (day) => {
      prune.run(day);
    },
  };
}
