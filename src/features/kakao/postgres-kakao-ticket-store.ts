import type { PgPool } from '../../db/postgres/connection.js';
import type { KakaoTicketStore } from './kakao-ticket.store.js';

interface Row {
  payload: string;
  expires_at: Date;
}

export function createPostgresKakaoTicketStore(pool: PgPool): KakaoTicketStore {
  return {
    insert: async (hash, record, createdAt) => {
      await pool.query('INSERT INTO kakao_tickets (hash, payload, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
        hash,
        record.payload,
        createdAt,
        record.expiresAt,
      ]);
    },
    // A concurrent DELETE of the same row waits for the first to commit, then deletes nothing.
    take: async (hash) => {
      const { rows } = await pool.query<Row>('DELETE FROM kakao_tickets WHERE hash = $1 RETURNING payload, expires_at', [hash]);
      const row = rows[0];
      return row ? { payload: row.payload, expiresAt: row.expires_at } : undefined;
    },
    prune: async (before) => (await pool.query('DELETE FROM kakao_tickets WHERE expires_at < $1', [before])).rowCount ?? 0,
  };
}
