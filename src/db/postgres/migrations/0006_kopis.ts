import type { Migration } from '../../migration.js';

export const kopis0006: Migration = {
  id: '0006_kopis',
  sql: `
    -- Each KOPIS performance (mt20id) and the catalogue run it is written as. performance_id is
    -- given before the first write, so a sync killed between its steps writes the same run again.
    CREATE TABLE kopis_runs (
      mt20id         text PRIMARY KEY,
      performance_id text NOT NULL,
      duplicatekey   text,
      list_hash      text NOT NULL,
      record_hash    text,
      -- the mapped run, fetched but not yet written to the catalogue (NULL once written)
      pending        text,
      sync_id        text NOT NULL,
      fetched_at     timestamptz NOT NULL
    );
    CREATE INDEX kopis_runs_pending ON kopis_runs (mt20id) WHERE pending IS NOT NULL;

    -- One row per sync: its plan, how far it got (committed after each page) and its counts.
    CREATE TABLE kopis_syncs (
      id          text PRIMARY KEY,
      scope       text NOT NULL,
      plan        text NOT NULL,
      next_step   integer NOT NULL,
      next_page   integer NOT NULL,
      counts      text NOT NULL,
      started_at  timestamptz NOT NULL,
      finished_at timestamptz,
      abandoned   boolean NOT NULL DEFAULT false
    );

    -- Calls made per KST day, by every process (the daily budget).
    CREATE TABLE kopis_calls (day text PRIMARY KEY, calls integer NOT NULL);
  `,
};
