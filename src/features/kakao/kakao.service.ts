import { createHash } from 'node:crypto';
import type { KakaoConfig } from '../../config/config.js';
import type { Clock } from '../../platform/clock.js';
import { AppError, badRequest } from '../../platform/errors.js';
import type { IdGenerator } from '../../platform/ids.js';
import type { Actor, EventRecorder } from '../../pipeline/index.js';
import { type AccountService, actorFor, type ClientRateLimiter, type RequestContext, userTypeText } from '../accounts/index.js';
import { type KakaoClient, KakaoError, type KakaoProfile, type KakaoTokenGrant } from './kakao.client.js';
import type { KakaoStates, StateRefusal } from './kakao-state.js';
import type { KakaoTicketStore } from './kakao-ticket.store.js';
import { isSealed, type TokenCipher } from './token-cipher.js';

export interface KakaoDeps {
  client: KakaoClient;
  accounts: AccountService;
  tickets: KakaoTicketStore;
  /** The login's CSRF state, bound to the browser (kakao-state.ts). */
  states: KakaoStates;
  /** Requests to `/kakao/callback` per client: each one may cost a call to Kakao. */
  callbackLimit: ClientRateLimiter;
  cipher: TokenCipher;
  events: EventRecorder;
  clock: Clock;
  ids: IdGenerator;
  config: Pick<KakaoConfig, 'clientId' | 'logoutRedirectUri' | 'ticketTtlSeconds'>;
  frontendUrl: string;
}

export interface KakaoLoginResult {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  nickname: string;
  user_type: '0' | '1';
}

/** What a ticket redeems to: the login's answer and who it is for (the events' actor). */
interface TicketPayload {
  login: KakaoLoginResult;
  actor: { user_id: string; gender: string | null; birth_year: number | null };
}

/** 256 bits: a ticket cannot be guessed within its lifetime, however many tries. */
const TICKET_BYTES = 32;
/** Expired tickets are deleted now and then (per process), some minutes after they expired. */
const PRUNE_EVERY_MS = 10 * 60_000;
const PRUNE_AFTER_MS = 10 * 60_000;

const hashOf = (ticket: string): string => createHash('sha256').update(ticket, 'utf8').digest('hex');

const REFUSED_STATE: Readonly<Record<StateRefusal, string>> = {
  state_mismatch: 'Login state does not match this browser; start the Kakao login again',
  state_expired: 'This Kakao login took too long (its state expired); start the Kakao login again',
  state_reused: 'This Kakao login state was already used; start the Kakao login again',
};

/**
 * Login with Kakao: Kakao proves who the person is, then they hold this service's own session.
 *
 * The authorisation code Kakao hands back is exchanged here, at the callback, after the state
 * showed that this service started the login in this browser. The frontend then gets a one-time ticket of
 * ours instead of Kakao's code, and `/kakao/getToken` accepts nothing else: a Kakao code an
 * attacker obtained for their own account can no longer be used to log a victim in.
 */
export class KakaoService {
  private lastPrune = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: KakaoDeps) {}

  /** A fresh CSRF state, the value that binds it to this browser (its cookie) and the Kakao URL carrying the state. */
  start(): { state: string; binding: string; location: string } {
    this.assertConfigured();
    const { state, binding } = this.deps.states.issue();
    return { state, binding, location: this.deps.client.authorizeUrl(state) };
  }

  /**
   * `/kakao/callback`: counts the request against the client's limit (429 past it), then checks
   * the state against the browser's binding and uses it up (400 when it is not ours, not this
   * browser's, expired or used), and only then talks to Kakao: exchanges the code, opens the
   * session and answers where the browser goes next, the frontend's `/callback` with a one-time
   * ticket, or with `error` when the person declined or Kakao failed.
   */
  async callback(params: { code?: string; error?: string; state?: string }, binding: string | undefined, ctx: RequestContext): Promise<string> {
    this.assertConfigured();
    await this.deps.callbackLimit.hit(ctx.client);
    const refused = await this.deps.states.redeem(params.state, binding);
    if (refused !== undefined) {
      this.fail(ctx.actor, refused);
      throw badRequest(REFUSED_STATE[refused]);
    }
    return this.completeLogin(params, ctx.actor);
  }

  private async completeLogin(params: { code?: string; error?: string }, actor: Actor): Promise<string> {
    if (!params.code) return this.frontendCallback('error', params.error ?? 'missing_code');
    let grant: KakaoTokenGrant;
    let profile: KakaoProfile;
    try {
      // Both Kakao calls happen before anything is written, so a failure leaves no user behind.
      grant = await this.deps.client.exchangeCode(params.code);
      profile = await this.deps.client.profile(grant.accessToken);
    } catch (err) {
      if (!(err instanceof KakaoError)) throw err;
      const reason = err.failure === 'rejected' ? 'kakao_rejected' : 'kakao_unavailable';
      this.fail(actor, reason);
      return this.frontendCallback('error', reason);
    }
    const { cipher } = this.deps;
    const { user, tokens } = await this.deps.accounts.kakaoLogin(profile, {
      accessToken: cipher.seal(grant.accessToken, 'kakao-token'),
      refreshToken: grant.refreshToken === null ? null : cipher.seal(grant.refreshToken, 'kakao-token'),
    });
    const who = actorFor(user, actor.device);
    const ticket = await this.issueTicket({
      login: { ...tokens, nickname: user.username, user_type: userTypeText(user.userType) },
      actor: { user_id: who.user_id, gender: who.gender ?? null, birth_year: who.birth_year ?? null },
    });
    return this.frontendCallback('code', ticket);
  }

  /**
   * `/kakao/getToken`: redeems a ticket from the callback, once, within its lifetime. Anything
   * else (a raw Kakao code, a used or expired ticket) is refused.
   */
  async redeem(ticket: string, actor: Actor): Promise<KakaoLoginResult> {
    this.assertConfigured();
    const refuse = (error: string, detail: string) => {
      this.fail(actor, error);
      return badRequest(detail);
    };
    const found = await this.deps.tickets.take(hashOf(ticket));
    if (!found) throw refuse('invalid_ticket', 'This Kakao login is unknown or was already used; log in with Kakao again');
    if (found.expiresAt.getTime() <= this.deps.clock.now().getTime()) {
      throw refuse('ticket_expired', 'This Kakao login has expired; log in with Kakao again');
    }
    const text = this.deps.cipher.open(found.payload, 'kakao-ticket');
    if (text === undefined) throw refuse('invalid_ticket', 'This Kakao login cannot be read; log in with Kakao again');
    const { login, actor: who } = JSON.parse(text) as TicketPayload;
    this.deps.events.record('KakaoLogin_log', 'kakao_login', { ...who, device: actor.device }, { status: 'success' });
    return login;
  }

  /**
   * Ends our session first (that is what protects the account), then asks Kakao to expire its
   * tokens. Kakao being down does not keep the person logged in here; its token expires anyway.
   */
  async logout(accessToken: string | undefined, actor: Actor): Promise<string> {
    const found = await this.deps.accounts.sessionOf(accessToken);
    if (!found) {
      this.deps.events.record('KakaoLogout_log', 'kakao_logout', actor, { status: 'fail', error: 'invalid_token' });
      throw new AppError(401, 'Invalid or expired token');
    }
    await this.deps.accounts.endSession(found.session.id, 'kakao_logout');
    let kakao = 'skipped';
    const stored = found.session.kakao?.accessToken;
    if (stored !== undefined && found.session.revokedAt === null && this.deps.config.clientId) {
      // Sessions written before the tokens were encrypted hold them in clear: still used, never rewritten.
      const token = isSealed(stored) ? this.deps.cipher.open(stored, 'kakao-token') : stored;
      kakao = token === undefined ? 'kakao_token_unreadable' : await this.kakaoLogout(token);
    }
    this.deps.events.record('KakaoLogout_log', 'kakao_logout', actorFor(found.user, actor.device), {
      status: 'success',
      error: kakao === 'done' || kakao === 'skipped' ? null : kakao,
    });
    return this.deps.config.logoutRedirectUri;
  }

  private async kakaoLogout(token: string): Promise<string> {
    try {
      await this.deps.client.logout(token);
      return 'done';
    } catch (err) {
      if (!(err instanceof KakaoError)) throw err;
      return err.failure === 'rejected' ? 'kakao_rejected' : 'kakao_unavailable';
    }
  }

  private async issueTicket(payload: TicketPayload): Promise<string> {
    const now = this.deps.clock.now();
    if (now.getTime() - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now.getTime();
      await this.deps.tickets.prune(new Date(now.getTime() - PRUNE_AFTER_MS));
    }
    const ticket = this.deps.ids.secret(TICKET_BYTES).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.deps.config.ticketTtlSeconds * 1000);
    await this.deps.tickets.insert(hashOf(ticket), { payload: this.deps.cipher.seal(JSON.stringify(payload), 'kakao-ticket'), expiresAt }, now);
    return ticket;
  }

  /** The frontend page that finishes the login (it calls getToken with the code, or shows the error). */
  private frontendCallback(key: 'code' | 'error', value: string): string {
    const u = new URL(`${this.deps.frontendUrl}/callback`);
    u.searchParams.set(key, value);
    return u.toString();
  }

  private fail(actor: Actor, error: string): void {
    this.deps.events.record('KakaoLogin_log', 'kakao_login', actor, { status: 'fail', error });
  }

  private assertConfigured(): void {
    if (!this.deps.config.clientId) throw new AppError(503, 'Kakao login is not configured (KAKAO_CLIENT_ID)');
  }
}
