import type { Migration } from '../../migration.js';

// Text that the catalogue sorts or compares uses the "C" collation: byte order, as in SQLite,
// so summaries come back in the same order on both dialects.
export const catalog0001: Migration = {
  id: '0001_catalog',
  sql: `
    CREATE TABLE performances (
      id            text COLLATE "C" PRIMARY KEY,
      duplicatekey  text COLLATE "C" NOT NULL,
      title         text COLLATE "C" NOT NULL,
      category      text,
      region        text,
      start_date    text COLLATE "C" NOT NULL,
      end_date      text COLLATE "C" NOT NULL,
      -- TEXT, not jsonb: the document's field order is part of the wire contract.
      doc           text NOT NULL,
      summary       text NOT NULL,
      created_at    timestamptz NOT NULL,
      updated_at    timestamptz NOT NULL
    );
    -- Checked at COMMIT: runs of one batch may hand keys to each other in any order.
    ALTER TABLE performances ADD CONSTRAINT performances_duplicatekey UNIQUE (duplicatekey) DEFERRABLE INITIALLY DEFERRED;
    CREATE INDEX performances_start_date ON performances (start_date);

    -- Bumped by every catalogue write so that readers (other instances too) know to reload.
    CREATE TABLE catalog_version (id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL);
    INSERT INTO catalog_version (id, version) VALUES (1, 0);

    CREATE TABLE popular_rankings (
      "window"    text NOT NULL,
      rank        integer NOT NULL,
      ticket_id   text NOT NULL,
      views       bigint NOT NULL,
      computed_at timestamptz NOT NULL,
      PRIMARY KEY ("window", rank)
    );

    CREATE TABLE recommendations (
      performance_id text PRIMARY KEY,
      similar_ids    text[] NOT NULL,
      computed_at    timestamptz NOT NULL
    );
  `,
};
