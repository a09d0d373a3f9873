import type { Migration } from '../../migration.js';

export const accounts0002: Migration = {
  id: '0002_accounts',
  sql: `
    CREATE TABLE users (
      id              text PRIMARY KEY,
      kind            text NOT NULL CHECK (kind IN ('local', 'kakao')),
      username        text NOT NULL,
      password_hash   text,
      email           text,
      phone_number    text,
      gender          text,
      birthday        text,
      agree_marketing boolean NOT NULL DEFAULT false,
      user_type       smallint NOT NULL DEFAULT 0,
      profile_image   text,
      created_at      timestamptz NOT NULL,
      updated_at      timestamptz NOT NULL
    );

    CREATE TABLE sessions (
      id                   text PRIMARY KEY,
      user_id              text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      refresh_jti          text NOT NULL,
      created_at           timestamptz NOT NULL,
      refreshed_at         timestamptz NOT NULL,
      expires_at           timestamptz NOT NULL,
      revoked_at           timestamptz,
      revoked_reason       text,
      kakao_access_token   text,
      kakao_refresh_token  text
    );
    CREATE INDEX sessions_user ON sessions (user_id);
    CREATE INDEX sessions_expires ON sessions (expires_at);

    CREATE TABLE rate_limits (
      key           text PRIMARY KEY,
      window_start  bigint NOT NULL,
      count         integer NOT NULL
    );
  `,
};
