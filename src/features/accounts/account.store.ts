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

/** Accounts and their server-side sessions. */
export interface AccountStore {
  findUser(id: string): Promise<UserRecord | undefined>;
  /** False when the id is taken (nothing written). */
  insertUser(user: UserRecord): Promise<boolean>;
  updatePasswordHash(id: string, hash: string, at: Date): Promise<void>;
  /** False for an unknown id. */
  setUserType(id: string, type: UserType, at: Date): Promise<boolean>;
  /** Creates or updates a Kakao user and opens its session in one transaction. */
  saveKakaoLogin(user: UserRecord, session: NewSession): Promise<UserRecord>;
  createSession(session: NewSession): Promise<void>;
  findSession(id: string): Promise<SessionRecord | undefined>;
  /**
   * Moves the session to `nextJti` only if `expectedJti` is still current and the session is
   * live; false otherwise (a reused or raced refresh token).
   */
  rotateRefresh(id: string, expectedJti: string, nextJti: string, at: Date, expiresAt: Date): Promise<boolean>;
  /** Ends a session; a session already ended keeps its first reason. */
  revokeSession(id: string, reason: SessionEndReason, at: Date): Promise<void>;
  /** Deletes sessions that expired or ended before `before`. */
  pruneSessions(before: Date): Promise<number>;
}
