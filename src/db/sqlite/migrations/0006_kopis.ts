import type { Migration } from '../../migration.js';

export const kopis0006: Migration = {
  id: '0006_kopis',
  sql: `
    -- Each KOPIS performance (mt20id) and the catalogue run it is written as. performance_id is
    -- given before the first write, so a sync killed between its steps writes the same run again.
    CREATE TABLE kopis_runs (
      mt20id         TEXT PRIMARY KEY,
      performance_id TEXT NOT NULL,
      duplicatekey   TEXT,
      list_hash      TEXT NOT NULL,
      record_hash    TEXT,
      -- the mapped run, fetched but not yet written to the catalogue (NULL once written)
      pending        TEXT,
      sync_id        TEXT NOT NULL,
      fetched_at     TEXT NOT NULL
    );
    CREATE INDEX kopis_runs_pending ON kopis_runs (mt20id) WHERE pending IS NOT NULL;

    -- One row per sync: its plan, how far it got (committed after each page) and its counts.
    CREATE TABLE kopis_syncs (
      id          TEXT PRIMARY KEY,
      scope       TEXT NOT NULL,
      plan        TEXT NOT NULL,
      next_step   INTEGER NOT NULL,
      next_page   INTEGER NOT NULL,
      counts      TEXT NOT NULL,
      started_at  TEXT NOT NULL,
      finished_at TEXT,
      abandoned   INTEGER NOT NULL DEFAULT 0
    );

    -- Calls made per KST day, by every process (the daily budget).
    CREATE TABLE kopis_calls (day TEXT PRIMARY KEY, calls INTEGER NOT NULL);
  `,
};
