import type { KakaoConfig } from '../../config/config.js';
import { AppError } from '../../platform/errors.js';
import type { IdGenerator } from '../../platform/ids.js';
import type { Actor, EventRecorder } from '../../pipeline/index.js';
import { type AccountService, actorFor, userTypeText } from '../accounts/index.js';
import { type KakaoClient, KakaoError } from './kakao.client.js';

export interface KakaoDeps {
  client: KakaoClient;
  accounts: AccountService;
  events: EventRecorder;
  ids: IdGenerator;
  config: Pick<KakaoConfig, 'clientId' | 'logoutRedirectUri'>;
  frontendUrl: string;
}

export interface KakaoLoginResult {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  nickname: string;
  user_type: '0' | '1';
}

/** Login with Kakao: Kakao proves who the person is, then they hold this service's own session. */
export class KakaoService {
  constructor(private readonly deps: KakaoDeps) {}

  /** A fresh CSRF state and the Kakao URL carrying it. */
  start(): { state: string; location: string } {
    this.assertConfigured();
    const state = this.deps.ids.uuid();
    return { state, location: this.deps.client.authorizeUrl(state) };
  }

  /** Where Kakao's redirect continues: the frontend page that calls getToken. */
  frontendCallback(params: { code?: string; error?: string }): string {
    const u = new URL(`${this.deps.frontendUrl}/callback`);
    if (params.code) u.searchParams.set('code', params.code);
    else u.searchParams.set('error', params.error ?? 'missing_code');
    return u.toString();
  }

  async login(code: string, actor: Actor): Promise<KakaoLoginResult> {
    this.assertConfigured();
    const fail = (error: string) => this.deps.events.record('KakaoLogin_log', 'kakao_login', actor, { status: 'fail', error });
    try {
      // Both Kakao calls happen before anything is written, so a failure leaves no user behind.
      const grant = await this.deps.client.exchangeCode(code);
      const profile = await this.deps.client.profile(grant.accessToken);
      const { user, tokens } = await this.deps.accounts.kakaoLogin(profile, grant);
      this.deps.events.record('KakaoLogin_log', 'kakao_login', actorFor(user, actor.device), { status: 'success' });
      return { ...tokens, nickname: user.username, user_type: userTypeText(user.userType) };
    } catch (err) {
      if (!(err instanceof KakaoError)) throw err;
      fail(err.failure === 'rejected' ? 'kakao_rejected' : 'kakao_unavailable');
      throw toHttpError(err);
    }
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
    if (found.session.kakao && found.session.revokedAt === null && this.deps.config.clientId) {
      try {
        await this.deps.client.logout(found.session.kakao.accessToken);
        kakao = 'done';
      } catch (err) {
        if (!(err instanceof KakaoError)) throw err;
        kakao = err.failure === 'rejected' ? 'kakao_rejected' : 'kakao_unavailable';
      }
    }
    this.deps.events.record('KakaoLogout_log', 'kakao_logout', actorFor(found.user, actor.device), {
      status: 'success',
      error: kakao === 'done' || kakao === 'skipped' ? null : kakao,
    });
    return this.deps.config.logoutRedirectUri;
  }

  private assertConfigured(): void {
    if (!this.deps.config.clientId) throw new AppError(503, 'Kakao login is not configured (KAKAO_CLIENT_ID)');
  }
}

function toHttpError(err: KakaoError): AppError {
  return err.failure === 'rejected'
    ? new AppError(400, 'Kakao refused the authorization code; log in with Kakao again')
    : new AppError(502, 'Kakao is not answering; try again later');
}
