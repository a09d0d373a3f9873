import type { Migration } from '../../migration.js';

export const kakaoTickets0004: Migration = {
  id: '0004_kakao_tickets',
  sql: `
    CREATE TABLE kakao_tickets (
      hash       text COLLATE "C" PRIMARY KEY,
      payload    text NOT NULL,
      created_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX kakao_tickets_expires ON kakao_tickets (expires_at);
  `,
};
