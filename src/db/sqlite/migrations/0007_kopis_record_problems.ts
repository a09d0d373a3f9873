import type { Migration } from '../../migration.js';

export const kopisRecordProblems0007: Migration = {
  id: '0007_kopis_record_problems',
  sql: `
    -- KOPIS records that could not be used (an answer the reader refuses, a run the mapping
    -- rejects): set aside so the sync goes on, retried on later syncs until attempts reach the
    -- cap, removed once the record reads fine. item is the list item it was listed with (JSON).
    CREATE TABLE kopis_record_problems (
      mt20id     TEXT PRIMARY KEY,
      reason     TEXT NOT NULL,
      item       TEXT NOT NULL,
      attempts   INTEGER NOT NULL,
      first_seen TEXT NOT NULL,
      last_seen  TEXT NOT NULL,
      sync_id    TEXT NOT NULL
    );
  `,
};
