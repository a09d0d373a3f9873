import type { SqliteDb } from '../../db/sqlite/connection.js';
import {
  refreshDecision,
  type AccountStore,
  type NewSession,
  type RefreshOutcome,
  type RefreshRequest,
  type SessionRecord,
  type UserRecord,
} from './account.store.js';

interface UserRow {
  id: string;
  kind: UserRecord['kind'];
  username: string;
  password_hash: string | null;
  email: string | null;
  phone_number: string | null;
  gender: UserRecord['gender'];
  birthday: string | null;
  agree_marketing: number;
  user_type: number;
  profile_image: string | null;
  created_at: string;
  updated_at: string;
}

interface SessionRow {
  id: string;
  user_id: string;
  refresh_jti: string;
  created_at: string;
  refreshed_at: string;
  expires_at: string;
  revoked_at: string | null;
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
  agreeMarketing: r.agree_marketing === 1,
  userType: r.user_type === 1 ? 1 : 0,
  profileImage: r.profile_image,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  userId: r.user_id,
  refreshJti: r.refresh_jti,
  createdAt: new Date(r.created_at),
  refreshedAt: new Date(r.refreshed_at),
  expiresAt: new Date(r.expires_at),
  revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at),
  revokedReason: r.revoked_reason,
  kakao: r.kakao_access_token === null ? null : { accessToken: r.kakao_access_token, refreshToken: r.kakao_refresh_token },
});

const userParams = (u: UserRecord) => ({
  id: u.id,
  kind: u.kind,
  username: u.username,
  password_hash: u.passwordHash,
  email: u.email,
  phone_number: u.phoneNumber,
  gender: u.gender,
  birthday: u.birthday,
  agree_marketing: u.agreeMarketing ? 1 : 0,
  user_type: u.userType,
  profile_image: u.profileImage,
  created_at: u.createdAt.toISOString(),
  updated_at: u.updatedAt.toISOString(),
});

const sessionParams = (s: NewSession) => ({
  id: s.id,
  user_id: s.userId,
  refresh_jti: s.refreshJti,
  created_at: s.createdAt.toISOString(),
  refreshed_at: s.refreshedAt.toISOString(),
  expires_at: s.expiresAt.toISOString(),
  kakao_access_token: s.kakao?.accessToken ?? null,
  kakao_refresh_token: s.kakao?.refreshToken ?? null,
});

export function createSqliteAccountStore(db: SqliteDb): AccountStore {
  const selectUser = db.prepare('SELECT * FROM users WHERE id = ?');
  const insertUser = db.prepare(`
    INSERT INTO users (id, kind, username, password_hash, email, phone_number, gender, birthday,
                       agree_marketing, user_type, profile_image, created_at, updated_at)
    VALUES (@id, @kind, @username, @password_hash, @email, @phone_number, @gender, @birthday,
            @agree_marketing, @user_type, @profile_image, @created_at, @updated_at)
    ON CONFLICT (id) DO NOTHING`);
  // A returning Kakao user keeps their user_type and creation time; the profile is refreshed.
  const upsertKakao = db.prepare(`
    INSERT INTO users (id, kind, username, password_hash, email, phone_number, gender, birthday,
                       agree_marketing, user_type, profile_image, created_at, updated_at)
    VALUES (@id, @kind, @username, @password_hash, @email, @phone_number, @gender, @birthday,
            @agree_marketing, @user_type, @profile_image, @created_at, @updated_at)
    ON CONFLICT (id) DO UPDATE SET
      username = excluded.username,
      email = COALESCE(excluded.email, users.email),
      profile_image = COALESCE(excluded.profile_image, users.profile_image),
      updated_at = excluded.updated_at
    RETURNING *`);
  const updateHash = db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?');
  const updateType = db.prepare('UPDATE users SET user_type = ?, updated_at = ? WHERE id = ?');
  const insertSession = db.prepare(`
    INSERT INTO sessions (id, user_id, refresh_jti, created_at, refreshed_at, expires_at,
                          kakao_access_token, kakao_refresh_token)
    VALUES (@id, @user_id, @refresh_jti, @created_at, @refreshed_at, @expires_at,
            @kakao_access_token, @kakao_refresh_token)`);
  const selectSession = db.prepare('SELECT * FROM sessions WHERE id = ?');
  const rotate = db.prepare(`
    UPDATE sessions SET prev_refresh_jti = refresh_jti, refresh_jti = @next, refreshed_at = @at, expires_at = @expires WHERE id = @id`);
  const revoke = db.prepare(`
    UPDATE sessions SET revoked_at = @at, revoked_reason = @reason WHERE id = @id AND revoked_at IS NULL`);
  const prune = db.prepare('DELETE FROM sessions WHERE expires_at < @before OR revoked_at < @before');
  const recordChange = db.prepare('INSERT INTO auth_changes (session_id, user_id, at) VALUES (@session, @user, @at)');
  const pruneChanges = db.prepare('DELETE FROM auth_changes WHERE at < ?');
  const lastChange = db.prepare('SELECT COALESCE(MAX(seq), 0) FROM auth_changes').pluck();
  const changesAfter = db.prepare('SELECT seq, session_id, user_id FROM auth_changes WHERE seq > ? ORDER BY seq LIMIT ?');

  /** Ends a session and, if it was live, records the change in the same transaction. */
  const endSession = (id: string, reason: string, at: Date): void => {
    if (revoke.run({ id, reason, at: at.toISOString() }).changes === 0) return;
    const row = selectSession.get(id) as SessionRow;
    recordChange.run({ session: id, user: row.user_id, at: at.getTime() });
  };
  const revokeOne = db.transaction(endSession);
  const setType = db.transaction((id: string, type: number, at: Date): boolean => {
    if (updateType.run(type, at.toISOString(), id).changes !== 1) return false;
    recordChange.run({ session: null, user: id, at: at.getTime() });
    return true;
  });

  // Read, decide and write under SQLite's write lock (`immediate`), so other processes on the same file wait.
  const refresh = db.transaction((r: RefreshRequest): RefreshOutcome => {
    const row = selectSession.get(r.id) as SessionRow | undefined;
    if (!row) return { status: 'ended' };
    const current = toSession(row);
    switch (refreshDecision({ ...current, prevRefreshJti: row.prev_refresh_jti }, r)) {
      case 'ended':
        return { status: 'ended' };
      case 'rotate':
        rotate.run({ id: r.id, next: r.nextJti, at: r.at.toISOString(), expires: r.expiresAt.toISOString() });
        return { status: 'rotated', refreshJti: r.nextJti, expiresAt: r.expiresAt };
      case 'grace':
        return { status: 'grace', refreshJti: current.refreshJti, expiresAt: current.expiresAt };
      case 'reuse':
        endSession(r.id, 'refresh_reuse', r.at);
        return { status: 'reused' };
    }
  });

  const saveKakao = db.transaction((user: UserRecord, session: NewSession) => {
    const row = upsertKakao.get(userParams(user)) as UserRow;
    insertSession.run(sessionParams(session));
    return toUser(row);
  });

  return {
    findUser: async (id) => {
      const row = selectUser.get(id) as UserRow | undefined;
      return row ? toUser(row) : undefined;
    },
    insertUser: async (user) => insertUser.run(userParams(user)).changes === 1,
    updatePasswordHash: async (id, hash, at) => {
      updateHash.run(hash, at.toISOString(), id);
    },
    setUserType: async (id, type, at) => setType.immediate(id, type, at),
    saveKakaoLogin: async (user, session) => saveKakao.immediate(user, session),
    createSession: async (session) => {
      insertSession.run(sessionParams(session));
    },
    findSession: async (id) => {
      const row = selectSession.get(id) as SessionRow | undefined;
      return row ? toSession(row) : undefined;
    },
    refreshSession: async (r) => refresh.immediate(r),
    revokeSession: async (id, reason, at) => {
      revokeOne.immediate(id, reason, at);
    },
    pruneSessions: async (before) => {
      pruneChanges.run(before.getTime());
      return prune.run({ before: before.toISOString() }).changes;
    },
    lastAuthChange: async () => lastChange.get() as number,
    authChangesAfter: async (after, limit) =>
      (changesAfter.all(after, limit) as { seq: number; session_id: string | null; user_id: string | null }[]).map((r) => ({
        seq: r.seq,
        sessionId: r.session_id,
        userId: r.user_id,
      })),
  };
}
