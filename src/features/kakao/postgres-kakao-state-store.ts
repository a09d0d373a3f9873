import type { PgPool } from '../../db/postgres/connection.js';
import type { KakaoStateStore } from './kakao-state.store.js';

export function createPostgresKakaoStateStore(pool: PgPool): KakaoStateStore {
  return {
    // A concurrent insert of the same key waits for the first to commit, then inserts nothing.
    use: async (stateHash, state, usedAt) =>
      (
        await pool.query(
          `INSERT INTO kakao_states (state_hash, binding_hash, created_at, used_at, expires_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (state_hash) DO NOTHING`,
          [stateHash, state.bindingHash, state.createdAt, usedAt, state.expiresAt],
        )
      ).rowCount === 1,
    prune: async (before) => (await pool.query('DELETE FROM kakao_states WHERE expires_at < $1', [before])).rowCount ?? 0,
  };
}
