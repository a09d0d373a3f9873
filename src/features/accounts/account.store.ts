export type UserKind = 'local' | 'kakao';
export type UserType = 0 | 1;

export interface UserRecord {
  /** Login id for own accounts, `kakao:<kakao id>` for Kakao users. */
  id: string;
  kind: UserKind;
  username: string;
  passwordHash: string | null;
  email: string | null;
  phoneNumber: string | null;
  gender: 'M' | 'F' | null;
  /** `YYYY-MM-DD`. */
  birthday: string | null;
  agreeMarketing: boolean;
  userType: UserType;
  profileImage: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface KakaoTokens {
  accessToken: string;
  refreshToken: string | null;
}

export interface SessionRecord {
  id: string;
  userId: string;
  refreshJti: string;
  createdAt: Date;
  refreshedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  kakao: KakaoTokens | null;
}

export type NewSession = Omit<SessionRecord, 'revokedAt' | 'revokedReason'>;

export type SessionEndReason = 'logout' | 'refresh_reuse' | 'kakao_logout';

export interface RefreshRequest {
  id: string;
  presentedJti: string;
  nextJti: string;
  at: Date;
  expiresAt: Date;
  graceMs: number;
}

export type RefreshOutcome = { status: 'rotated' | 'grace'; refreshJti: string; expiresAt: Date } | { status: 'reused' } | { status: 'ended' };

/**
 * A change that can make a verified access token invalid or change what it stands for: a session
 * that ended, or a user whose `user_type` changed. Every store writes one in the same transaction
 * as the change, so every instance's verified-token cache can forget what it holds.
 */
export interface AuthChange {
  /** Increases with every change (PostgreSQL: in the order the rows were inserted, not committed). */
  seq: number;
  sessionId: string | null;
  userId: string | null;
}

/** Accounts and their server-side sessions. */
export interface AccountStore {
  findUser(id: string): Promise<UserRecord | undefined>;
  /** False when the id is taken (nothing written). */
  insertUser(user: UserRecord): Promise<boolean>;
  updatePasswordHash(id: string, hash: string, at: Date): Promise<void>;
  /** False for an unknown id. Records an `AuthChange` for the user. */
  setUserType(id: string, type: UserType, at: Date): Promise<boolean>;
  /** Creates or updates a Kakao user and opens its session in one transaction. */
  saveKakaoLogin(user: UserRecord, session: NewSession): Promise<UserRecord>;
  createSession(session: NewSession): Promise<void>;
  findSession(id: string): Promise<SessionRecord | undefined>;
  /**
   * Exchanges the refresh token `presentedJti` of session `id`, atomically (of two instances
   * presenting the same token, one rotates and the other sees the rotation):
   * - the current jti of a live session → moves to `nextJti` (retiring the presented one) and
   *   `expiresAt`: `rotated`;
   * - the jti the last rotation retired, presented less than `graceMs` after it → nothing changes:
   *   `grace` with the session's current jti and expiry (a concurrent double refresh);
   * - any other retired jti of a live session → the session is revoked (`refresh_reuse`, with an
   *   `AuthChange`): `reused`;
   * - an unknown, ended or expired session → `ended`.
   */
  refreshSession(r: RefreshRequest): Promise<RefreshOutcome>;
  /** Ends a session (recording an `AuthChange`); a session already ended keeps its first reason. */
  revokeSession(id: string, reason: SessionEndReason, at: Date): Promise<void>;
  /** Deletes sessions that expired or ended before `before`, and auth changes recorded before `before`. */
  pruneSessions(before: Date): Promise<number>;
  /** The highest `seq` recorded so far (0 when none). */
  lastAuthChange(): Promise<number>;
  /** Up to `limit` changes with `seq > after`, lowest first. */
  authChangesAfter(after: number, limit: number): Promise<AuthChange[]>;
}

/** What `refreshSession` does with a session as it stands (read under a lock by each adapter). */
export function refreshDecision(
  s: Pick<SessionRecord, 'refreshJti' | 'refreshedAt' | 'expiresAt' | 'revokedAt'> & { prevRefreshJti: string | null },
  r: RefreshRequest,
): 'rotate' | 'grace' | 'reuse' | 'ended' {
  if (s.revokedAt !== null || s.expiresAt.getTime() <= r.at.getTime()) return 'ended';
  if (s.refreshJti === r.presentedJti) return 'rotate';
  if (s.prevRefreshJti === r.presentedJti && r.at.getTime() - s.refreshedAt.getTime() < r.graceMs) return 'grace';
  return 'reuse';
}
