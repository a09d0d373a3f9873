import type { Migration } from '../../migration.js';

export const likes0009: Migration = {
  id: '0009_likes',
  sql: `
    -- Which runs each account likes (the hearts of §2b). seq breaks ties between likes of one
    -- instant, so "oldest like first" is the order they were made. A like outlives its run:
    -- /get_like leaves out runs that are no longer in the catalogue. Other instances hear of
    -- changes through NOTIFY likes_changed (payload: the user id), sent in the writing statement.
    CREATE TABLE likes (
      user_id    text COLLATE "C" NOT NULL,
      run_id     text COLLATE "C" NOT NULL,
      created_at timestamptz NOT NULL,
      seq        bigserial NOT NULL,
      PRIMARY KEY (user_id, run_id)
    );
  `,
};
