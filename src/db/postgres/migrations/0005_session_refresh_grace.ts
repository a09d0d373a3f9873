import type { Migration } from '../../migration.js';

export const sessionRefreshGrace0005: Migration = {
  id: '0005_session_refresh_grace',
  sql: `
    ALTER TABLE sessions ADD COLUMN prev_refresh_jti text;
  `,
};
