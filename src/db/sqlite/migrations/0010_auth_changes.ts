import type { Migration } from '../../migration.js';

export const authChanges0010: Migration = {
  id: '0010_auth_changes',
  sql: `
    -- What every instance's verified-token cache must forget: a session that ended (logout, Kakao
    -- logout, refresh-token reuse) or a user whose user_type changed (grant-admin, revoke-admin).
    -- Written in the same transaction as the change itself; instances poll for rows past the
    -- last seq they saw (see auth-changes.ts). Rows go after a few minutes, once every instance
    -- has seen them. \`at\` is ms since the epoch.
    CREATE TABLE auth_changes (
      seq        INTEGER PRIMARY KEY AUTOINCREMENT,
      session_id TEXT,
      user_id    TEXT,
      at         INTEGER NOT NULL
    );
    CREATE INDEX auth_changes_at ON auth_changes (at);
  `,
};
