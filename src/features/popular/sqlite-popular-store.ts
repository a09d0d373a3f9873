import type { SqliteDb } from '../../db/sqlite/connection.js';
import type { PopularStore, RankedRun } from './popular.store.js';

export function createSqlitePopularStore(db: SqliteDb): PopularStore {
  const select = db.prepare('SELECT ticket_id, views FROM popular_rankings WHERE window = ? ORDER BY rank');
  const clear = db.prepare('DELETE FROM popular_rankings WHERE window = ?');
  const insert = db.prepare('INSERT INTO popular_rankings (window, rank, ticket_id, views, computed_at) VALUES (?, ?, ?, ?, ?)');
  const replace = db.transaction((window: string, rows: readonly RankedRun[], at: string) => {
    clear.run(window);
    rows.forEach((r, i) => insert.run(window, i + 1, r.ticket_id, r.views, at));
  });
  return {
    ranking: async (window) => select.all(window) as RankedRun[],
    replaceRanking: async (window, rows, computedAt) => replace.immediate(window, rows, computedAt.toISOString()),
  };
}
