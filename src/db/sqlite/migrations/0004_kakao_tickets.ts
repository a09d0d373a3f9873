import type { Migration } from '../../migration.js';

export const kakaoTickets0004: Migration = {
  id: '0004_kakao_tickets',
  sql: `
    -- One-time tickets from /kakao/callback to /kakao/getToken: the SHA-256 of the ticket (never
    -- the ticket), what it redeems to (AES-256-GCM sealed) and until when (ms since the epoch).
    CREATE TABLE kakao_tickets (
      hash       TEXT PRIMARY KEY,
      payload    TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX kakao_tickets_expires ON kakao_tickets (expires_at);
  `,
};
