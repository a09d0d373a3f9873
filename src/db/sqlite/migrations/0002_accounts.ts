import type { Migration } from '../../migration.js';

export const accounts0002: Migration = {
  id: '0002_accounts',
  sql: `
    -- One row per person: own accounts keyed by their login id, Kakao users by 'kakao:<kakao id>'
    -- (login ids are letters and digits only, so the two can never collide).
    CREATE TABLE users (
      id              TEXT PRIMARY KEY,
      kind            TEXT NOT NULL CHECK (kind IN ('local', 'kakao')),
      username        TEXT NOT NULL,
      password_hash   TEXT,
      email           TEXT,
      phone_number    TEXT,
      gender          TEXT,
      birthday        TEXT,
      agree_marketing INTEGER NOT NULL DEFAULT 0,
      user_type       INTEGER NOT NULL DEFAULT 0,
      profile_image   TEXT,
      created_at      TEXT NOT NULL,
      updated_at      TEXT NOT NULL
    ) WITHOUT ROWID;

    -- A login. refresh_jti names the one refresh token that may still be used; an older one
    -- presented again means it leaked, and the whole session is revoked.
    CREATE TABLE sessions (
      id                   TEXT PRIMARY KEY,
      user_id              TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      refresh_jti          TEXT NOT NULL,
      created_at           TEXT NOT NULL,
      refreshed_at         TEXT NOT NULL,
      expires_at           TEXT NOT NULL,
      revoked_at           TEXT,
      revoked_reason       TEXT,
      kakao_access_token   TEXT,
      kakao_refresh_token  TEXT
    ) WITHOUT ROWID;
    CREATE INDEX sessions_user ON sessions (user_id);
    CREATE INDEX sessions_expires ON sessions (expires_at);

    -- Fixed-window counters shared by every API instance (login failures per id, bursts per client).
    CREATE TABLE rate_limits (
      key           TEXT PRIMARY KEY,
      window_start  INTEGER NOT NULL,
      count         INTEGER NOT NULL
    ) WITHOUT ROWID;
  `,
};
