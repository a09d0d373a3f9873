import type { Migration } from '../../migration.js';

export const kopisRecordProblems0007: Migration = {
  id: '0007_kopis_record_problems',
  sql: `
    -- KOPIS records that could not be used (an answer the reader refuses, a run the mapping
    -- rejects): set aside so the sync goes on, retried on later syncs until attempts reach the
    -- cap, removed once the record reads fine. item is the list item it was listed with (JSON).
    CREATE TABLE kopis_record_problems (
      mt20id     text PRIMARY KEY,
      reason     text NOT NULL,
      item       text NOT NULL,
      attempts   integer NOT NULL,
      first_seen timestamptz NOT NULL,
      last_seen  timestamptz NOT NULL,
      sync_id    text NOT NULL
    );
  `,
};
