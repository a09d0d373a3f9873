import type { SqliteDb } from '../../db/sqlite/connection.js';
import type { KakaoStateStore } from './kakao-state.store.js';

export function createSqliteKakaoStateStore(db: SqliteDb): KakaoStateStore {
  // One statement under SQLite's write lock: a second use of the state inserts nothing.
  const use = db.prepare(
    'INSERT INTO kakao_states (state_hash, binding_hash, created_at, used_at, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (state_hash) DO NOTHING',
  );
  const prune = db.prepare('DELETE FROM kakao_states WHERE expires_at < ?');
  return {
    use: async (stateHash, state, usedAt) =>
      use.run(stateHash, state.bindingHash, state.createdAt.getTime(), usedAt.getTime(), state.expiresAt.getTime()).changes === 1,
    prune: async (before) => prune.run(before.getTime()).changes,
  };
}
