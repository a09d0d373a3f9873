import type { Migration } from '../../migration.js';

export const catalog0001: Migration = {
  id: '0001_catalog',
  sql: `
    CREATE TABLE performances (
      id            TEXT PRIMARY KEY,
      duplicatekey  TEXT NOT NULL,
      title         TEXT NOT NULL,
      category      TEXT,
      region        TEXT,
      start_date    TEXT NOT NULL,
      end_date      TEXT NOT NULL,
      doc           TEXT NOT NULL,
      summary       TEXT NOT NULL,
      created_at    TEXT NOT NULL,
      updated_at    TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE UNIQUE INDEX performances_duplicatekey ON performances (duplicatekey);
    CREATE INDEX performances_start_date ON performances (start_date);

    -- Bumped by every catalogue write so that readers (other instances too) know to reload.
    CREATE TABLE catalog_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
    INSERT INTO catalog_version (id, version) VALUES (1, 0);

    CREATE TABLE popular_rankings (
      window     TEXT NOT NULL,
      rank       INTEGER NOT NULL,
      ticket_id  TEXT NOT NULL,
      views      INTEGER NOT NULL,
      computed_at TEXT NOT NULL,
      PRIMARY KEY (window, rank)
    );

    CREATE TABLE recommendations (
      performance_id TEXT PRIMARY KEY,
      similar_ids    TEXT NOT NULL,
      computed_at    TEXT NOT NULL
    );
  `,
};
