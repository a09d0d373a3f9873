import type { SqliteDb } from '../../db/sqlite/connection.js';
import type { RecommendationEntry, RecommendationStore } from './recommendation.store.js';

export function createSqliteRecommendationStore(db: SqliteDb): RecommendationStore {
  const select = db.prepare('SELECT similar_ids FROM recommendations WHERE performance_id = ?').pluck();
  const upsert = db.prepare(`
    INSERT INTO recommendations (performance_id, similar_ids, computed_at) VALUES (?, ?, ?)
    ON CONFLICT (performance_id) DO UPDATE SET similar_ids = excluded.similar_ids, computed_at = excluded.computed_at`);
  // The ids travel as one JSON array: one statement, whatever their number.
  const stored = db.prepare('SELECT value FROM json_each(?) WHERE value IN (SELECT performance_id FROM recommendations)').pluck();
  const putAll = db.transaction((entries: readonly RecommendationEntry[], at: string) => {
    for (const e of entries) upsert.run(e.performance_id, JSON.stringify(e.similar_ids), at);
  });
  return {
    get: async (id) => {
      const raw = select.get(id) as string | undefined;
      return raw === undefined ? undefined : (JSON.parse(raw) as string[]);
    },
    putMany: async (entries, computedAt) => putAll.immediate(entries, computedAt.toISOString()),
    missingAmong: async (ids) => {
      if (ids.length === 0) return [];
      const have = new Set(stored.all(JSON.stringify(ids)) as string[]);
      return ids.filter((id) => !have.has(id));
    },
  };
}
