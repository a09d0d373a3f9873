import type { Migration } from '../../migration.js';

export const authChanges0010: Migration = {
  id: '0010_auth_changes',
  sql: `
    -- What every instance's verified-token cache must forget: a session that ended (logout, Kakao
    -- logout, refresh-token reuse) or a user whose user_type changed (grant-admin, revoke-admin).
    -- Written, with NOTIFY auth_changed, in the same transaction as the change itself; instances
    -- read the rows past the last seq they saw (see auth-changes.ts). Rows go after a few minutes.
    CREATE TABLE auth_changes (
      seq        bigserial PRIMARY KEY,
      session_id text,
      user_id    text,
      at         timestamptz NOT NULL
    );
    CREATE INDEX auth_changes_at ON auth_changes (at);
  `,
};
