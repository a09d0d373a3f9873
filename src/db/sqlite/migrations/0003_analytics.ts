import type { Migration } from '../../migration.js';

export const analytics0003: Migration = {
  id: '0003_analytics',
  sql: `
    -- One row per scheduled job: who holds it (until when) and when it last finished.
    CREATE TABLE job_leases (
      job              TEXT PRIMARY KEY,
      holder           TEXT,
      expires_at       INTEGER NOT NULL DEFAULT 0,
      last_started_at  INTEGER,
      last_finished_at INTEGER,
      last_summary     TEXT
    );

    -- Which view-log files the popular job has read (a rewritten file has a new size and is read again).
    CREATE TABLE popular_files (
      key      TEXT PRIMARY KEY,
      size     INTEGER NOT NULL,
      events   INTEGER NOT NULL,
      counted  INTEGER NOT NULL,
      read_at  TEXT NOT NULL
    ) WITHOUT ROWID;

    -- 53-bit hashes of every counted event_id, so that an event is counted once across files.
    CREATE TABLE popular_seen_events (hash INTEGER PRIMARY KEY);

    CREATE TABLE popular_totals (
      ticket_id TEXT PRIMARY KEY,
      views     INTEGER NOT NULL
    ) WITHOUT ROWID;

    -- Views per KST day of the event, for the trending windows.
    CREATE TABLE popular_daily_views (
      day       TEXT NOT NULL,
      ticket_id TEXT NOT NULL,
      views     INTEGER NOT NULL,
      PRIMARY KEY (day, ticket_id)
    ) WITHOUT ROWID;
  `,
};
