import type { Migration } from '../../migration.js';

export const analytics0003: Migration = {
  id: '0003_analytics',
  sql: `
    CREATE TABLE job_leases (
      job              text PRIMARY KEY,
      holder           text,
      expires_at       bigint NOT NULL DEFAULT 0,
      last_started_at  bigint,
      last_finished_at bigint,
      last_summary     text
    );

    CREATE TABLE popular_files (
      key      text PRIMARY KEY,
      size     bigint NOT NULL,
      events   integer NOT NULL,
      counted  integer NOT NULL,
      read_at  timestamptz NOT NULL
    );

    CREATE TABLE popular_seen_events (hash bigint PRIMARY KEY);

    CREATE TABLE popular_totals (
      ticket_id text COLLATE "C" PRIMARY KEY,
      views     bigint NOT NULL
    );

    CREATE TABLE popular_daily_views (
      day       text COLLATE "C" NOT NULL,
      ticket_id text COLLATE "C" NOT NULL,
      views     bigint NOT NULL,
      PRIMARY KEY (day, ticket_id)
    );
  `,
};
