import type { Migration } from '../../migration.js';

export const likes0009: Migration = {
  id: '0009_likes',
  sql: `
    -- Which runs each account likes (the hearts of §2b). created_at is ms since the epoch; the
    -- rowid breaks ties between likes of one millisecond (a new row always gets a larger one than
    -- every existing row), so "oldest like first" is the order they were made. A like outlives its
    -- run: /get_like leaves out runs that are no longer in the catalogue.
    CREATE TABLE likes (
      user_id    TEXT NOT NULL,
      run_id     TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (user_id, run_id)
    );

    -- The change counter other processes on this database file poll to keep their cached liked
    -- sets current: every like or unlike that changed something stamps its user's row with the
    -- next number (under SQLite's write lock, so numbers commit in order). One row per account that
    -- ever liked something; a poll reads only the rows stamped after the last number it saw.
    CREATE TABLE like_changes (
      user_id TEXT PRIMARY KEY,
      seq     INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX like_changes_seq ON like_changes (seq);
  `,
};
