import { inTransaction, type PgPool } from '../../db/postgres/connection.js';
import { refreshDecision, type AccountStore, type NewSession, type RefreshOutcome, type SessionRecord, type UserRecord } from './account.store.js';

interface UserRow {
  id: string;
  kind: UserRecord['kind'];
  username: string;
  password_hash: string | null;
  email: string | null;
  phone_number: string | null;
  gender: UserRecord['gender'];
  birthday: string | null;
  agree_marketing: boolean;
  user_type: number;
  profile_image: string | null;
  created_at: Date;
  updated_at: Date;
}

interface SessionRow {
  id: string;
  user_id: string;
  refresh_jti: string;
  created_at: Date;
  refreshed_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
  kakao_access_token: string | null;
  kakao_refresh_token: string | null;
  prev_refresh_jti: string | null;
}

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  kind: r.kind,
  username: r.username,
  passwordHash: r.password_hash,
  email: r.email,
  phoneNumber: r.phone_number,
  gender: r.gender,
  birthday: r.birthday,
  agreeMarketing: r.agree_marketing,
  userType: r.user_type === 1 ? 1 : 0,
  profileImage: r.profile_image,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  userId: r.user_id,
  refreshJti: r.refresh_jti,
  createdAt: r.created_at,
  refreshedAt: r.refreshed_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  revokedReason: r.revoked_reason,
  kakao: r.kakao_access_token === null ? null : { accessToken: r.kakao_access_token, refreshToken: r.kakao_refresh_token },
});

const USER_COLUMNS = `id, kind, username, password_hash, email, phone_number, gender, birthday,
  agree_marketing, user_type, profile_image, created_at, updated_at`;
const userValues = (u: UserRecord) => [
  u.id,
  u.kind,
  u.username,
  u.passwordHash,
  u.email,
  u.phoneNumber,
  u.gender,
  u.birthday,
  u.agreeMarketing,
  u.userType,
  u.profileImage,
  u.createdAt,
  u.updatedAt,
];

const INSERT_SESSION = `
  INSERT INTO sessions (id, user_id, refresh_jti, created_at, refreshed_at, expires_at, kakao_access_token, kakao_refresh_token)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;
const sessionValues = (s: NewSession) => [
  s.id,
  s.userId,
  s.refreshJti,
  s.createdAt,
  s.refreshedAt,
  s.expiresAt,
  s.kakao?.accessToken ?? null,
  s.kakao?.refreshToken ?? null,
];

/** Sent, with the change's seq, in the same transaction as every `auth_changes` row. */
export const AUTH_CHANGED = 'auth_changed';

/**
 * Ends a live session and records the change with its NOTIFY, in one statement (so one
 * transaction); a session already ended changes nothing and announces nothing.
 */
const END_SESSION = `
  WITH ended AS (
    UPDATE sessions SET revoked_at = $3, revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id, user_id
  ), change AS (
    INSERT INTO auth_changes (session_id, user_id, at) SELECT id, user_id, $3 FROM ended RETURNING seq
  )
  SELECT pg_notify('${AUTH_CHANGED}', seq::text) FROM change`;

/** Changes a user's type and records the change with its NOTIFY, in one statement. */
const SET_USER_TYPE = `
  WITH changed AS (
    UPDATE users SET user_type = $1, updated_at = $2 WHERE id = $3 RETURNING id
  ), change AS (
    INSERT INTO auth_changes (user_id, at) SELECT id, $2 FROM changed RETURNING seq
  )
  SELECT pg_notify('${AUTH_CHANGED}', seq::text) FROM change`;

export function createPostgresAccountStore(pool: PgPool): AccountStore {
  return {
    findUser: async (id) => {
      const { rows } = await pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
      return rows[0] ? toUser(rows[0]) : undefined;
    },
    insertUser: async (user) => {
      const res = await pool.query(
        `INSERT INTO users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (id) DO NOTHING`,
        userValues(user),
      );
      return res.rowCount === 1;
    },
    updatePasswordHash: async (id, hash, at) => {
      await pool.query('UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3', [hash, at, id]);
    },
    setUserType: async (id, type, at) => (await pool.query(SET_USER_TYPE, [type, at, id])).rows.length === 1,
    // A returning Kakao user keeps their user_type and creation time; the profile is refreshed.
    saveKakaoLogin: async (user, session) =>
      inTransaction(pool, async (client) => {
        const { rows } = await client.query<UserRow>(
          `INSERT INTO users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
           ON CONFLICT (id) DO UPDATE SET
             username = excluded.username,
             email = COALESCE(excluded.email, users.email),
             profile_image = COALESCE(excluded.profile_image, users.profile_image),
             updated_at = excluded.updated_at
           RETURNING ${USER_COLUMNS}`,
          userValues(user),
        );
        await client.query(INSERT_SESSION, sessionValues(session));
        return toUser(rows[0]!);
      }),
    createSession: async (session) => {
      await pool.query(INSERT_SESSION, sessionValues(session));
    },
    findSession: async (id) => {
      const { rows } = await pool.query<SessionRow>('SELECT * FROM sessions WHERE id = $1', [id]);
      return rows[0] ? toSession(rows[0]) : undefined;
    },
    // The row lock makes a second instance presenting the same token wait, then see the rotation.
    refreshSession: async (r) =>
      inTransaction(pool, async (client): Promise<RefreshOutcome> => {
        const { rows } = await client.query<SessionRow>('SELECT * FROM sessions WHERE id = $1 FOR UPDATE', [r.id]);
        const row = rows[0];
        if (!row) return { status: 'ended' };
        const current = toSession(row);
        switch (refreshDecision({ ...current, prevRefreshJti: row.prev_refresh_jti }, r)) {
          case 'ended':
            return { status: 'ended' };
          case 'rotate':
            await client.query(
              `UPDATE sessions SET prev_refresh_jti = refresh_jti, refresh_jti = $2, refreshed_at = $3, expires_at = $4 WHERE id = $1`,
              [r.id, r.nextJti, r.at, r.expiresAt],
            );
            return { status: 'rotated', refreshJti: r.nextJti, expiresAt: r.expiresAt };
          case 'grace':
            return { status: 'grace', refreshJti: current.refreshJti, expiresAt: current.expiresAt };
          case 'reuse':
            await client.query(END_SESSION, [r.id, 'refresh_reuse', r.at]);
            return { status: 'reused' };
        }
      }),
    revokeSession: async (id, reason, at) => {
      await pool.query(END_SESSION, [id, reason, at]);
    },
    pruneSessions: async (before) => {
      await pool.query('DELETE FROM auth_changes WHERE at < $1', [before]);
      return (await pool.query('DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1', [before])).rowCount ?? 0;
    },
    lastAuthChange: async () => {
      const { rows } = await pool.query<{ seq: string }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM auth_changes');
      return Number(rows[0]!.seq);
    },
    authChangesAfter: async (after, limit) => {
      const { rows } = await pool.query<{ seq: string; session_id: string | null; user_id: string | null }>(
        'SELECT seq, session_id, user_id FROM auth_changes WHERE seq > $1 ORDER BY seq LIMIT $2',
        [after, limit],
      );
      return rows.map((r) => ({ seq: Number(r.seq), sessionId: r.session_id, userId: r.user_id }));
    },
  };
}
