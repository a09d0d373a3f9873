import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { searchAs } from '../../test-support/accounts.js';
import { startTestService, type TestService } from '../../test-support/app.js';
import { testBackends } from '../../test-support/backends.js';
import { type FakeKakao, GOOD_CODE, startFakeKakao } from '../../test-support/fake-kakao.js';
import { recordingEvents } from '../../test-support/recording-events.js';
import { STATE_COOKIE } from './kakao.routes.js';

const kakaoEnv = (base: string) => ({
  KAKAO_CLIENT_ID: 'test-client',
  KAKAO_CLIENT_SECRET: 'test-secret',
  KAKAO_REDIRECT_URI: 'http://api.example/kakao/callback',
  KAKAO_AUTH_BASE_URL: base,
  KAKAO_API_BASE_URL: base,
  KAKAO_TIMEOUT_MS: '300',
  FRONTEND_URL: 'http://front.example',
});

for (const backend of await testBackends()) {
  describe.skipIf(backend.env === undefined)(`Kakao login on ${backend.name}`, () => {
    let kakao: FakeKakao;
    let svc: TestService;
    let events: ReturnType<typeof recordingEvents>;

    // One service and one fake Kakao per backend: each test starts with a well-behaved fake and
    // a Kakao user the service has never seen, so tests do not see each other's accounts.
    beforeAll(async () => {
      kakao = await startFakeKakao();
      events = recordingEvents();
      svc = await startTestService({ ...(await backend.env!()), ...kakaoEnv(kakao.baseUrl) }, { events });
    });
    beforeEach(() => {
      kakao.reset();
      events.clear();
    });
    afterAll(async () => {
      await svc?.close();
      await kakao?.close();
    });

    const getToken = (code: string) => svc.app.inject({ method: 'GET', url: `/kakao/getToken?code=${encodeURIComponent(code)}` });
    const kakaoUser = () => svc.container.stores.accounts.findUser(`kakao:${kakao.user.id}`);

    describe('Kakao login', () => {
      it('when getcode is called, then it redirects to Kakao with client id, redirect URI, scope and a state bound to a cookie', async () => {
        const res = await svc.app.inject({ method: 'GET', url: '/kakao/getcode' });
        expect(res.statusCode).toBe(302);
        const location = new URL(res.headers.location as string);
        expect(`${location.origin}${location.pathname}`).toBe(`${kakao.baseUrl}/oauth/authorize`);
        expect(Object.fromEntries(location.searchParams)).toMatchObject({
          client_id: 'test-client',
          redirect_uri: 'http://api.example/kakao/callback',
          response_type: 'code',
          scope: 'profile_nickname,profile_image,account_email',
        });
        const state = location.searchParams.get('state');
        expect(state).toMatch(/^[0-9a-f-]{36}$/);
        const cookie = String(res.headers['set-cookie']);
        expect(cookie).toContain(`${STATE_COOKIE}=${state}`);
        expect(cookie).toMatch(/HttpOnly/);
        expect(cookie).toMatch(/SameSite=Lax/);
      });

      it('when Kakao calls back with the cookie state, then the browser continues to the frontend with the code', async () => {
        const start = await svc.app.inject({ method: 'GET', url: '/kakao/getcode' });
        const state = new URL(start.headers.location as string).searchParams.get('state') ?? '';
        const res = await svc.app.inject({
          method: 'GET',
          url: `/kakao/callback?code=abc123&state=${state}`,
          headers: { cookie: `other=1; ${STATE_COOKIE}=${state}` },
        });
        expect(res.statusCode).toBe(302);
        expect(res.headers.location).toBe('http://front.example/callback?code=abc123');
        expect(String(res.headers['set-cookie'])).toContain('Max-Age=0');
      });

      it('when Kakao calls back with an error (the person declined), then the frontend gets the error', async () => {
        const start = await svc.app.inject({ method: 'GET', url: '/kakao/getcode' });
        const state = new URL(start.headers.location as string).searchParams.get('state') ?? '';
        const res = await svc.app.inject({
          method: 'GET',
          url: `/kakao/callback?error=access_denied&state=${state}`,
          headers: { cookie: `${STATE_COOKIE}=${state}` },
        });
        expect(res.statusCode).toBe(302);
        expect(res.headers.location).toBe('http://front.example/callback?error=access_denied');
      });

      it('when the callback state is forged or the cookie is missing, then it is refused with 400', async () => {
        const start = await svc.app.inject({ method: 'GET', url: '/kakao/getcode' });
        const state = new URL(start.headers.location as string).searchParams.get('state') ?? '';
        const forged = await svc.app.inject({
          method: 'GET',
          url: '/kakao/callback?code=abc123&state=attacker-state',
          headers: { cookie: `${STATE_COOKIE}=${state}` },
        });
        expect(forged.statusCode).toBe(400);
        expect(forged.json().detail).toMatch(/state/);
        const noCookie = await svc.app.inject({ method: 'GET', url: `/kakao/callback?code=abc123&state=${state}` });
        expect(noCookie.statusCode).toBe(400);
        const noState = await svc.app.inject({ method: 'GET', url: '/kakao/callback?code=abc123', headers: { cookie: `${STATE_COOKIE}=` } });
        expect(noState.statusCode).toBe(400);
      });

      it('when getToken gets a good code, then the Kakao user is created and our own token identifies them', async () => {
        const res = await getToken(GOOD_CODE);
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body).toMatchObject({ nickname: '카카오친구', user_type: '0', token_type: 'bearer' });
        expect(body.access_token).not.toMatch(/^kakao-at-/);
        const tokenCall = kakao.requests.find((r) => r.path === '/oauth/token');
        expect(tokenCall?.form).toMatchObject({ code: GOOD_CODE, client_secret: 'test-secret', redirect_uri: 'http://api.example/kakao/callback' });
        expect(kakao.requests.find((r) => r.path === '/v2/user/me')?.authorization).toBe('Bearer kakao-at-1');
        expect(await kakaoUser()).toMatchObject({ kind: 'kakao', username: '카카오친구', email: 'friend@kakao.example' });

        const before = kakao.requests.length;
        expect(await searchAs(svc, events, body.access_token)).toEqual({ status: 200, userId: `kakao:${kakao.user.id}` });
        expect(kakao.requests.length).toBe(before);
        expect(events.of('KakaoLogin_log').at(-1)).toMatchObject({ actor: { user_id: `kakao:${kakao.user.id}` }, fields: { status: 'success' } });
        expect(JSON.stringify(events.events)).not.toContain('friend@kakao.example');
      });

      it('when the same Kakao user logs in again, then the profile is updated and admin rights are kept', async () => {
        await getToken(GOOD_CODE);
        await svc.container.accounts.setAdmin(`kakao:${kakao.user.id}`, true);
        kakao.user.nickname = '새닉네임';
        const again = (await getToken(`${GOOD_CODE}-2`)).json();
        expect(again).toMatchObject({ nickname: '새닉네임', user_type: '1' });
      });

      it('when Kakao refuses the code, then getToken answers 400 and no user is created', async () => {
        const res = await getToken('stolen-or-used-code');
        expect(res.statusCode).toBe(400);
        expect(res.json().detail).toEqual(expect.any(String));
        expect(await kakaoUser()).toBeUndefined();
        expect(events.of('KakaoLogin_log').at(-1)?.fields).toMatchObject({ status: 'fail', error: 'kakao_rejected' });
      });

      it.each([
        ['the token endpoint fails', () => (kakao.modes.token = 'down')],
        ['the token endpoint answers garbage', () => (kakao.modes.token = 'garbage')],
        ['the token endpoint hangs past the timeout', () => (kakao.modes.token = 'hang')],
        ['the user-info endpoint fails after the code was exchanged', () => (kakao.modes.profile = 'down')],
      ])('when %s, then getToken answers 502 and no user is created', async (_what, breakIt) => {
        breakIt();
        const res = await getToken(GOOD_CODE);
        expect(res.statusCode).toBe(502);
        expect(res.json()).toEqual({ detail: expect.any(String) });
        expect(await kakaoUser()).toBeUndefined();
      });

      it('when getToken has no code, then it answers 422', async () => {
        expect((await svc.app.inject({ method: 'GET', url: '/kakao/getToken' })).statusCode).toBe(422);
      });
    });

    describe('Kakao logout', () => {
      const logout = (authorization?: string) =>
        svc.app.inject({ method: 'POST', url: '/kakao/logout', headers: authorization === undefined ? {} : { authorization } });

      it('when a Kakao user logs out, then our session ends, Kakao is told, and the browser goes to the logout redirect', async () => {
        const { access_token, refresh_token } = (await getToken(GOOD_CODE)).json();
        const res = await logout(access_token);
        expect(res.statusCode).toBe(303);
        expect(res.headers.location).toBe('http://front.example/callbackLogout');
        expect(kakao.requests.find((r) => r.path === '/v1/user/logout')).toMatchObject({ method: 'POST', authorization: 'Bearer kakao-at-1' });
        expect(await searchAs(svc, events, access_token)).toMatchObject({ userId: 'anonymous' });
        const refresh = await svc.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token } });
        expect(refresh.statusCode).toBe(401);
        expect(events.of('KakaoLogout_log').at(-1)).toMatchObject({ fields: { status: 'success', error: null } });
      });

      it('when Kakao is down at logout, then our session still ends and the browser is still redirected', async () => {
        const { access_token } = (await getToken(GOOD_CODE)).json();
        kakao.modes.logout = 'down';
        const res = await logout(access_token);
        expect(res.statusCode).toBe(303);
        expect(await searchAs(svc, events, access_token)).toMatchObject({ userId: 'anonymous' });
        expect(events.of('KakaoLogout_log').at(-1)?.fields).toMatchObject({ error: 'kakao_unavailable' });
      });

      it('when the token is missing or forged, then logout answers 401 and calls nobody', async () => {
        expect((await logout()).statusCode).toBe(401);
        expect((await logout('forged.token.value')).statusCode).toBe(401);
        expect(kakao.requests.filter((r) => r.path === '/v1/user/logout')).toHaveLength(0);
      });
    });

    describe('with Kakao out of reach', () => {
      it('when Kakao cannot be reached at all, then getToken answers 502', async () => {
        const gone = await startFakeKakao();
        await gone.close();
        const cut = await startTestService({ ...(await backend.env!()), ...kakaoEnv(gone.baseUrl) });
        try {
          const res = await cut.app.inject({ method: 'GET', url: `/kakao/getToken?code=${GOOD_CODE}` });
          expect(res.statusCode).toBe(502);
        } finally {
          await cut.close();
        }
      });
    });

    describe('without Kakao configuration', () => {
      it('when KAKAO_CLIENT_ID is not set, then the Kakao endpoints answer 503 JSON', async () => {
        const bare = await startTestService(await backend.env!());
        try {
          const res = await bare.app.inject({ method: 'GET', url: '/kakao/getcode' });
          expect(res.statusCode).toBe(503);
          expect(res.json().detail).toMatch(/KAKAO_CLIENT_ID/);
          expect((await bare.app.inject({ method: 'GET', url: '/kakao/getToken?code=x' })).statusCode).toBe(503);
        } finally {
          await bare.close();
        }
      });
    });
  });
}
