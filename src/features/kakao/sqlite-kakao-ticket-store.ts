import type { SqliteDb } from '../../db/sqlite/connection.js';
import type { KakaoTicketStore } from './kakao-ticket.store.js';

interface Row {
  payload: string;
  expires_at: number;
}

export function createSqliteKakaoTicketStore(db: SqliteDb): KakaoTicketStore {
  const insert = db.prepare('INSERT INTO kakao_tickets (hash, payload, created_at, expires_at) VALUES (?, ?, ?, ?)');
  // DELETE … RETURNING is one statement under SQLite's write lock: a second take finds nothing.
  const take = db.prepare('DELETE FROM kakao_tickets WHERE hash = ? RETURNING payload, expires_at');
  const prune = db.prepare('DELETE FROM kakao_tickets WHERE expires_at < ?');
  return {
    insert: async (hash, record, createdAt) => {
      insert.run(hash, record.payload, createdAt.getTime(), record.expiresAt.getTime());
    },
    take: async (hash) => {
      const row = take.get(hash) as Row | undefined;
      return row ? { payload: row.payload, expiresAt: new Date(row.expires_at) } : undefined;
    },
    prune: async (before) => prune.run(before.getTime()).changes,
  };
}
