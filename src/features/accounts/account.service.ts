import type { AuthConfig } from '../../config/config.js';
import type { Clock } from '../../platform/clock.js';
import { AppError, badRequest, conflict, unauthorized, unprocessable } from '../../platform/errors.js';
import type { IdGenerator } from '../../platform/ids.js';
import { kstDate } from '../../platform/kst.js';
import type { Actor, EventRecorder } from '../../pipeline/index.js';
import type { AccountStore, KakaoTokens, SessionRecord, UserRecord, UserType } from './account.store.js';
import type { PasswordHasher } from './password-hasher.js';
import type { AuthThrottle, LoginAttempt } from './rate-limiter.js';
import { accountIdError, type AdminAccountInput, type FieldError, type SignupInput, validateAdminAccount, validateSignup } from './signup-rules.js';
import type { TokenSigner } from './token-signer.js';
import type { VerifiedTokenCache } from './verified-token-cache.js';

/** What the verified-token cache holds for a token: its user, or undefined for a session that ended (for good). */
export interface VerifiedToken {
  user: AuthenticatedUser | undefined;
  sessionId: string;
  userId: string;
}

export interface AccountDeps {
  store: AccountStore;
  throttle: AuthThrottle;
  hasher: PasswordHasher;
  tokens: TokenSigner;
  clock: Clock;
  ids: IdGenerator;
  events: EventRecorder;
  config: Pick<AuthConfig, 'accessTokenTtlSeconds' | 'refreshTokenTtlSeconds' | 'refreshReuseGraceSeconds' | 'sessionAbsoluteLifetimeSeconds'>;
  /**
   * Remembers checked access tokens, so the check (signature, session, user) is paid once per
   * token, not once per request. It only answers while synced with the store's change feed.
   */
  verified?: VerifiedTokenCache<VerifiedToken>;
}

/** Who a valid access token speaks for (the shape of `req.user`). */
export interface AuthenticatedUser {
  userId: string;
  eventUserId: string;
  gender: string | null;
  birthYear: number | null;
  /**
   * `user_type` 1 now: grant-admin and revoke-admin evict the cached tokens of the user, on every
   * instance within the staleness bound (`AUTH_STALENESS_BOUND_MS`).
   */
  admin: boolean;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
}

export interface LoginResult extends TokenPair {
  username: string;
  user_type: '0' | '1';
}

/** The request side of an action: who (as far as known) and from where. */
export interface RequestContext {
  actor: Actor;
  /** Who the per-client limits count: the client address, IPv6 grouped by /64 (see `clientKey`). */
  client: string;
}

/** For an existing account: whether the password given matches its own, or was set (`resetPassword`). */
export type AdminAccountPassword = 'matches' | 'differs' | 'reset';

export type AdminAccountOutcome =
  { status: 'invalid'; errors: FieldError[] } | { status: 'created' } | { status: 'granted' | 'already-admin'; password: AdminAccountPassword };

const BAD_CREDENTIALS = 'Incorrect id or password';
const BAD_TOKEN = 'Invalid or expired token';
const SESSION_ENDED = 'Session has ended; log in again';
/** Ended and expired sessions are deleted now and then, a day after they stopped mattering. */
const PRUNE_EVERY_SESSIONS = 200;
const PRUNE_AFTER_MS = 24 * 60 * 60 * 1000;

export const userTypeText = (t: UserType): '0' | '1' => (t === 1 ? '1' : '0');

export function actorFor(user: UserRecord, device: string): Actor {
  const year = user.birthday ? Number(user.birthday.slice(0, 4)) : null;
  return { user_id: user.id, device, gender: user.gender, birth_year: year };
}

export class AccountService {
  private dummyHash: Promise<string> | undefined;
  private sessionsOpened = 0;

  constructor(private readonly deps: AccountDeps) {}

  async checkId(id: string, ctx: RequestContext): Promise<void> {
    const record = (status: string, error: string | null) =>
      this.deps.events.record('Signup_log', 'check_id', ctx.actor, { status, error, requested_id: id });
    await this.throttled(ctx, () => record('fail', 'throttled'));
    const idError = accountIdError(id);
    if (idError) {
      record('fail', 'invalid_id');
      throw unprocessable({ field: 'body.id', message: idError });
    }
    if (await this.deps.store.findUser(id)) {
      record('taken', 'id_taken');
      throw badRequest('This id is already taken', { is_taken: true });
    }
    record('available', null);
  }

  async signup(input: SignupInput, ctx: RequestContext): Promise<void> {
    const requestedId = input.id.slice(0, 64);
    const record = (status: string, error: string | null) =>
      this.deps.events.record('Signup_log', 'signup', ctx.actor, { status, error, requested_id: requestedId });
    await this.throttled(ctx, () => record('fail', 'throttled'));
    const now = this.deps.clock.now();
    const checked = validateSignup(input, kstDate(now).replaceAll('.', '-'));
    if (!checked.ok) {
      record('fail', 'invalid');
      // Same field naming as the schema errors of the shared error handler (`body.<field>`).
      const errors = checked.errors.map((e) => ({ field: `body.${e.field}`, message: e.message }));
      throw unprocessable(errors[0] ?? { field: 'body', message: 'is invalid' }, ...errors.slice(1));
    }
    const v = checked.value;
    const taken = () => {
      record('fail', 'id_taken');
      return conflict('This id is already taken', { is_taken: true });
    };
    if (await this.deps.store.findUser(v.id)) throw taken();
    const inserted = await this.deps.store.insertUser({
      id: v.id,
      kind: 'local',
      username: v.username,
      passwordHash: await this.deps.hasher.hash(v.pw),
      email: v.email,
      phoneNumber: v.phoneNumber,
      gender: v.gender,
      birthday: v.birthday,
      agreeMarketing: v.agreeMarketing,
      userType: 0,
      profileImage: null,
      createdAt: now,
      updatedAt: now,
    });
    if (!inserted) throw taken();
    record('success', null);
  }

  async login(id: string, password: string, ctx: RequestContext): Promise<LoginResult> {
    const fail = (error: string) => this.deps.events.record('Validate', 'login', ctx.actor, { status: 'fail', error });
    await this.throttled(ctx, () => fail('throttled'));
    // Reserved before the hash check, so parallel guesses are counted as they arrive.
    let attempt: LoginAttempt;
    try {
      attempt = await this.deps.throttle.reserveLogin(id, ctx.client);
    } catch (err) {
      if (err instanceof AppError && err.statusCode === 429) fail('throttled');
      throw err;
    }
    const user = await this.deps.store.findUser(id);
    // Unknown ids cost one hash check too, so timing does not tell which ids exist.
    const hash = user?.passwordHash ?? (await this.dummy());
    const matches = await this.deps.hasher.verify(hash, password);
    if (!user || user.passwordHash === null || !matches) {
      fail('invalid_credentials');
      throw unauthorized(BAD_CREDENTIALS);
    }
    await this.deps.throttle.loginSucceeded(attempt);
    if (this.deps.hasher.needsRehash(user.passwordHash)) {
      await this.deps.store.updatePasswordHash(user.id, await this.deps.hasher.hash(password), this.deps.clock.now());
    }
    const pair = await this.openSession(user.id, null);
    this.deps.events.record('Login_log', 'login', actorFor(user, ctx.actor.device), { status: 'success' });
    return { ...pair, username: user.username, user_type: userTypeText(user.userType) };
  }

  /**
   * Rotates the refresh token. A token the last rotation retired, presented again within the grace
   * window (two tabs, a retry), gets a pair for the session's current refresh token, so both
   * holders keep working; a retired token presented later ends the session (it leaked).
   */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const v = await this.deps.tokens.verify(refreshToken, 'refresh');
    if (!v.ok) throw unauthorized(BAD_TOKEN);
    const { claims } = v;
    const session = await this.deps.store.findSession(claims.sessionId);
    if (!session || session.userId !== claims.userId || session.revokedAt !== null) throw unauthorized(SESSION_ENDED);
    const now = this.deps.clock.now();
    const end = this.endOfLife(session.createdAt);
    if (now.getTime() >= end.getTime()) throw unauthorized('Session has reached its maximum lifetime; log in again');
    const outcome = await this.deps.store.refreshSession({
      id: session.id,
      presentedJti: claims.jti,
      nextJti: this.deps.ids.uuid(),
      at: now,
      expiresAt: this.refreshExpiry(now, end),
      graceMs: this.deps.config.refreshReuseGraceSeconds * 1000,
    });
    switch (outcome.status) {
      case 'rotated':
      case 'grace':
        return this.signPair(session.userId, session.id, outcome.refreshJti, outcome.expiresAt);
      case 'reused':
        // A retired refresh token came back: someone else holds a copy. The session ended for both.
        this.deps.verified?.evictSession(session.id);
        throw unauthorized('Refresh token was already used; the session has ended');
      case 'ended':
        throw unauthorized(SESSION_ENDED);
    }
  }

  /** Ends the session of a genuine access token, expired or not. */
  async logout(accessToken: string | undefined, ctx: RequestContext): Promise<void> {
    const found = await this.sessionOf(accessToken);
    if (!found) {
      this.deps.events.record('Logout_log', 'logout', ctx.actor, { status: 'fail' });
      throw unauthorized(BAD_TOKEN);
    }
    await this.deps.store.revokeSession(found.session.id, 'logout', this.deps.clock.now());
    this.deps.verified?.evictSession(found.session.id);
    this.deps.events.record('Logout_log', 'logout', actorFor(found.user, ctx.actor.device), { status: 'success' });
  }

  /**
   * The user of a valid access token on a live session; undefined for anything else. Served from
   * the verified-token cache when it holds the token (never past the token's expiry).
   */
  async authenticate(accessToken: string): Promise<AuthenticatedUser | undefined> {
    const cache = this.deps.verified;
    const cached = cache?.get(accessToken);
    if (cached) return cached.user;
    const began = cache?.begin() ?? 0;
    const v = await this.deps.tokens.verify(accessToken, 'access');
    if (!v.ok) return undefined;
    const { sessionId, userId, expiresAt } = v.claims;
    const session = await this.deps.store.findSession(sessionId);
    if (!session || session.userId !== userId) return undefined;
    // An ended session never comes back: remembering the refusal is safe.
    if (session.revokedAt !== null) {
      cache?.set(accessToken, { user: undefined, sessionId, userId }, expiresAt, began);
      return undefined;
    }
    const user = await this.deps.store.findUser(session.userId);
    if (!user) return undefined;
    const actor = actorFor(user, '');
    const found: AuthenticatedUser = {
      userId: user.id,
      eventUserId: actor.user_id,
      gender: user.gender,
      birthYear: actor.birth_year ?? null,
      admin: user.userType === 1,
    };
    cache?.set(accessToken, { user: found, sessionId, userId }, expiresAt, began);
    return found;
  }

  /**
   * The session and user behind a genuine access token (expired allowed), for logout flows.
   * Sessions already ended are still returned so that logging out twice is harmless.
   */
  async sessionOf(accessToken: string | undefined): Promise<{ session: SessionRecord; user: UserRecord } | undefined> {
    if (!accessToken) return undefined;
    const v = await this.deps.tokens.verify(accessToken, 'access', { allowExpired: true });
    if (!v.ok) return undefined;
    const session = await this.deps.store.findSession(v.claims.sessionId);
    if (!session || session.userId !== v.claims.userId) return undefined;
    const user = await this.deps.store.findUser(session.userId);
    return user ? { session, user } : undefined;
  }

  async endSession(sessionId: string, reason: 'logout' | 'kakao_logout'): Promise<void> {
    await this.deps.store.revokeSession(sessionId, reason, this.deps.clock.now());
    this.deps.verified?.evictSession(sessionId);
  }

  /** Creates or refreshes a Kakao user and opens a session holding Kakao's tokens, atomically. */
  async kakaoLogin(
    profile: { kakaoId: string; nickname: string; email: string | null; profileImage: string | null },
    kakao: KakaoTokens,
  ): Promise<{ user: UserRecord; tokens: TokenPair }> {
    const now = this.deps.clock.now();
    const ids = this.newSessionIds(now);
    const user = await this.deps.store.saveKakaoLogin(
      {
        id: `kakao:${profile.kakaoId}`,
        kind: 'kakao',
        username: profile.nickname,
        passwordHash: null,
        email: profile.email,
        phoneNumber: null,
        gender: null,
        birthday: null,
        agreeMarketing: false,
        userType: 0,
        profileImage: profile.profileImage,
        createdAt: now,
        updatedAt: now,
      },
      { ...ids, userId: `kakao:${profile.kakaoId}`, createdAt: now, refreshedAt: now, kakao },
    );
    return { user, tokens: await this.signPair(user.id, ids.id, ids.refreshJti, ids.expiresAt) };
  }

  /**
   * `ticketmoa create-admin`: a local account with `user_type` 1, made with the signup rules and
   * hashing; when the id exists, that account is made an admin instead, and its password is left
   * as it is unless `resetPassword` (then its sessions keep running: a reset is not a logout).
   * `pw` is the password string as the frontend sends it (see `frontendPassword`).
   */
  async createAdmin(input: AdminAccountInput, options: { resetPassword?: boolean } = {}): Promise<AdminAccountOutcome> {
    const checked = validateAdminAccount(input);
    if (!checked.ok) return { status: 'invalid', errors: checked.errors };
    const { id, username, pw } = checked.value;
    const now = this.deps.clock.now();
    let existing = await this.deps.store.findUser(id);
    if (!existing) {
      const inserted = await this.deps.store.insertUser({
        id,
        kind: 'local',
        username,
        passwordHash: await this.deps.hasher.hash(pw),
        email: null,
        phoneNumber: null,
        gender: null,
        birthday: null,
        agreeMarketing: false,
        userType: 1,
        profileImage: null,
        createdAt: now,
        updatedAt: now,
      });
      if (inserted) return { status: 'created' };
      existing = await this.deps.store.findUser(id); // made by someone else meanwhile
      if (!existing) throw new Error(`account "${id}" could neither be created nor found`);
    }
    let password: AdminAccountPassword;
    if (options.resetPassword) {
      await this.deps.store.updatePasswordHash(id, await this.deps.hasher.hash(pw), now);
      password = 'reset';
    } else {
      const matches = existing.passwordHash !== null && (await this.deps.hasher.verify(existing.passwordHash, pw));
      password = matches ? 'matches' : 'differs';
    }
    const wasAdmin = existing.userType === 1;
    if (!wasAdmin) await this.setAdmin(id, true);
    return { status: wasAdmin ? 'already-admin' : 'granted', password };
  }

  /** grant-admin / revoke-admin. False for an unknown id. */
  async setAdmin(id: string, admin: boolean): Promise<boolean> {
    const changed = await this.deps.store.setUserType(id, admin ? 1 : 0, this.deps.clock.now());
    this.deps.verified?.evictUser(id);
    return changed;
  }

  private async openSession(userId: string, kakao: KakaoTokens | null): Promise<TokenPair> {
    const now = this.deps.clock.now();
    const ids = this.newSessionIds(now);
    await this.deps.store.createSession({ ...ids, userId, createdAt: now, refreshedAt: now, kakao });
    this.sessionsOpened += 1;
    if (this.sessionsOpened % PRUNE_EVERY_SESSIONS === 0) {
      await this.deps.store.pruneSessions(new Date(now.getTime() - PRUNE_AFTER_MS));
    }
    return this.signPair(userId, ids.id, ids.refreshJti, ids.expiresAt);
  }

  private newSessionIds(now: Date) {
    return {
      id: this.deps.ids.uuid(),
      refreshJti: this.deps.ids.uuid(),
      expiresAt: this.refreshExpiry(now, this.endOfLife(now)),
    };
  }

  /** When a session that began at `createdAt` ends, however often it is refreshed. */
  private endOfLife(createdAt: Date): Date {
    return new Date(createdAt.getTime() + this.deps.config.sessionAbsoluteLifetimeSeconds * 1000);
  }

  private refreshExpiry(now: Date, endOfLife: Date): Date {
    return new Date(Math.min(now.getTime() + this.deps.config.refreshTokenTtlSeconds * 1000, endOfLife.getTime()));
  }

  private async signPair(userId: string, sessionId: string, refreshJti: string, refreshExpiresAt: Date): Promise<TokenPair> {
    const now = this.deps.clock.now();
    const accessExpiresAt = new Date(Math.min(now.getTime() + this.deps.config.accessTokenTtlSeconds * 1000, refreshExpiresAt.getTime()));
    const [access, refresh] = await Promise.all([
      this.deps.tokens.sign({ kind: 'access', userId, sessionId, jti: this.deps.ids.uuid(), expiresAt: accessExpiresAt }),
      this.deps.tokens.sign({ kind: 'refresh', userId, sessionId, jti: refreshJti, expiresAt: refreshExpiresAt }),
    ]);
    return { access_token: access, refresh_token: refresh, token_type: 'bearer' };
  }

  private async throttled(ctx: RequestContext, onThrottle: () => void): Promise<void> {
    try {
      await this.deps.throttle.clientRequest(ctx.client);
    } catch (err) {
      if (err instanceof AppError && err.statusCode === 429) onThrottle();
      throw err;
    }
  }

  /** A hash to check unknown ids against, made once; a failed attempt is forgotten so the next login tries again. */
  private dummy(): Promise<string> {
    if (this.dummyHash) return this.dummyHash;
    const made = this.deps.hasher.hash(this.deps.ids.uuid());
    this.dummyHash = made;
    void made.catch(() => {
      if (this.dummyHash === made) this.dummyHash = undefined;
    });
    return made;
  }
}
