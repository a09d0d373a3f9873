import type { Migration } from '../../migration.js';

export const kakaoStates0008: Migration = {
  id: '0008_kakao_states',
  sql: `
    -- Kakao login states that reached /kakao/callback: the SHA-256 of the state (which the
    -- service signed at /kakao/getcode) and of the browser-binding cookie it was bound to. The
    -- primary key makes each state usable once on every instance; rows go once expired (ms since
    -- the epoch), when the state's own expiry refuses it anyway.
    CREATE TABLE kakao_states (
      state_hash   TEXT PRIMARY KEY,
      binding_hash TEXT NOT NULL,
      created_at   INTEGER NOT NULL,
      used_at      INTEGER NOT NULL,
      expires_at   INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX kakao_states_expires ON kakao_states (expires_at);
  `,
};
