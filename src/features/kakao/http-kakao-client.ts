import type { KakaoConfig } from '../../config/config.js';
import { KakaoError, type KakaoClient, type KakaoProfile, type KakaoTokenGrant } from './kakao.client.js';

export const KAKAO_SCOPE = 'profile_nickname,profile_image,account_email';

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

async function call(what: string, url: string, init: RequestInit, timeoutMs: number): Promise<Json> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const reason = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'could not be reached';
    throw new KakaoError('unavailable', `Kakao ${what} ${reason}`);
  }
  const text = await res.text().catch(() => '');
  if (res.status >= 400 && res.status < 500) {
    const code = str(obj(safeParse(text)).error) ?? String(res.status);
    throw new KakaoError('rejected', `Kakao ${what} refused the request (${code})`);
  }
  if (!res.ok) throw new KakaoError('unavailable', `Kakao ${what} answered ${res.status}`);
  const body = safeParse(text);
  if (body === undefined || typeof body !== 'object' || body === null) {
    throw new KakaoError('unavailable', `Kakao ${what} answered something that is not JSON`);
  }
  return body as Json;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function createHttpKakaoClient(config: KakaoConfig): KakaoClient {
  const form = { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' };
  return {
    authorizeUrl(state) {
      const u = new URL('/oauth/authorize', config.authBaseUrl);
      u.search = new URLSearchParams({
        client_id: config.clientId ?? '',
        redirect_uri: config.redirectUri,
        response_type: 'code',
        scope: KAKAO_SCOPE,
        state,
      }).toString();
      return u.toString();
    },

    async exchangeCode(code): Promise<KakaoTokenGrant> {
      const params = new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: config.clientId ?? '',
        redirect_uri: config.redirectUri,
        code,
      });
      if (config.clientSecret) params.set('client_secret', config.clientSecret);
      const body = await call(
        'token exchange',
        `${config.authBaseUrl}/oauth/token`,
        {
          method: 'POST',
          headers: form,
          body: params.toString(),
        },
        config.timeoutMs,
      );
      const accessToken = str(body.access_token);
      if (!accessToken) throw new KakaoError('unavailable', 'Kakao token exchange returned no access token');
      return { accessToken, refreshToken: str(body.refresh_token) };
    },

    async profile(accessToken): Promise<KakaoProfile> {
      const body = await call(
        'user info',
        `${config.apiBaseUrl}/v2/user/me`,
        {
          method: 'GET',
          headers: { authorization: `Bearer ${accessToken}` },
        },
        config.timeoutMs,
      );
      const id = body.id;
      const kakaoId = typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : typeof id === 'string' && /^\d+$/.test(id) ? id : null;
      if (!kakaoId) throw new KakaoError('unavailable', 'Kakao user info has no user id');
      const account = obj(body.kakao_account);
      const profile = obj(account.profile);
      const properties = obj(body.properties);
      return {
        kakaoId,
        nickname: (str(profile.nickname) ?? str(properties.nickname) ?? `kakao${kakaoId}`).slice(0, 100),
        email: str(account.email),
        profileImage: str(profile.profile_image_url) ?? str(properties.profile_image),
      };
    },

    async logout(accessToken) {
      await call(
        'logout',
        `${config.apiBaseUrl}/v1/user/logout`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${accessToken}` },
        },
        config.timeoutMs,
      );
    },
  };
}
