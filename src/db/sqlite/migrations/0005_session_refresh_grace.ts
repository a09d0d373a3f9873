import type { Migration } from '../../migration.js';

export const sessionRefreshGrace0005: Migration = {
  id: '0005_session_refresh_grace',
  sql: `
    -- The refresh jti the last rotation retired (at refreshed_at): a concurrent request that
    -- presents it within the grace window gets the current pair instead of ending the session.
    ALTER TABLE sessions ADD COLUMN prev_refresh_jti TEXT;
  `,
};
