import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sqliteFileOf } from '../../databases.js';
import { type ManualClock, manualClock } from '../../platform/clock.js';
import { searchAs } from '../../test-support/accounts.js';
import { startTestService, type TestService } from '../../test-support/app.js';
import { testBackends } from '../../test-support/backends.js';
import { type FakeKakao, GOOD_CODE, startFakeKakao } from '../../test-support/fake-kakao.js';
import { recordingEvents } from '../../test-support/recording-events.js';
import { HOST_STATE_COOKIE, STATE_COOKIE } from './kakao.routes.js';

const kakaoEnv = (base: string) => ({
  KAKAO_CLIENT_ID: 'test-client',
  KAKAO_CLIENT_SECRET: 'test-secret',
  KAKAO_REDIRECT_URI: 'http://api.example/kakao/callback',
  KAKAO_AUTH_BASE_URL: base,
  KAKAO_API_BASE_URL: base,
  KAKAO_TIMEOUT_MS: '300',
  FRONTEND_URL: 'http://front.example',
  // the shared service takes many callbacks from one client; the limit has tests of its own
  KAKAO_CALLBACK_LIMIT: '100000',
});

type Inject = (opts: InjectOptions) => Promise<LightMyRequestResponse>;

/** A browser starting the login at /kakao/getcode: the state Kakao will carry back and the binding cookie we set. */
async function startLogin(
  inject: Inject,
  remoteAddress?: string,
): Promise<{ state: string; cookieName: string; binding: string; setCookie: string }> {
  const res = await inject({ method: 'GET', url: '/kakao/getcode', ...(remoteAddress ? { remoteAddress } : {}) });
  if (res.statusCode !== 302) throw new Error(`getcode answered ${res.statusCode}`);
  const state = new URL(res.headers.location as string).searchParams.get('state') ?? '';
  const setCookie = String(res.headers['set-cookie']);
  const [, cookieName = '', binding = ''] = /^([^=]+)=([^;]*)/.exec(setCookie) ?? [];
  return { state, cookieName, binding, setCookie };
}

/** Straight at the service's database, whichever it is (`$1` placeholders): what is really stored. */
async function sql<R = Record<string, unknown>>(svc: TestService, text: string, params: unknown[]): Promise<R[]> {
  const { config } = svc.container;
  if (config.databaseUrl?.startsWith('postgres')) {
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as R[];
    } finally {
      await client.end();
    }
  }
  const db = new Database(sqliteFileOf(config));
  try {
    const stmt = db.prepare(text.replace(/\$\d+/g, '?'));
    return stmt.reader ? (stmt.all(...params) as R[]) : (stmt.run(...params), []);
  } finally {
    db.close();
  }
}

for (const backend of await testBackends()) {
  describe.skipIf(backend.env === undefined)(`Kakao login on ${backend.name}`, () => {
    let kakao: FakeKakao;
    let svc: TestService;
    let events: ReturnType<typeof recordingEvents>;
    let clock: ManualClock;

    // One service and one fake Kakao per backend: each test starts with a well-behaved fake and
    // a Kakao user the service has never seen, so tests do not see each other's accounts.
    beforeAll(async () => {
      kakao = await startFakeKakao();
      events = recordingEvents();
      clock = manualClock(new Date());
      svc = await startTestService({ ...(await backend.env!()), ...kakaoEnv(kakao.baseUrl) }, { events, clock });
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
    /** Kakao's redirect back to us, in the browser that started the login. */
    const callback = async (query: string) => {
      const { state, cookieName, binding } = await startLogin((o) => svc.app.inject(o));
      return svc.app.inject({
        method: 'GET',
        url: `/kakao/callback?${query}&state=${encodeURIComponent(state)}`,
        headers: { cookie: `${cookieName}=${binding}` },
      });
    };
    /** The whole browser side up to the frontend's /callback page: the ticket it receives. */
    const ticketFor = async (code = GOOD_CODE): Promise<string> => {
      const res = await callback(`code=${encodeURIComponent(code)}`);
      const location = new URL(res.headers.location as string);
      const ticket = location.searchParams.get('code');
      if (res.statusCode !== 302 || !ticket) throw new Error(`no ticket: ${res.statusCode} ${String(res.headers.location)}`);
      return ticket;
    };
    const kakaoLogin = async () => (await getToken(await ticketFor())).json<{ access_token: string; refresh_token: string }>();
    const sessionRows = () =>
      sql<{ kakao_access_token: string | null; kakao_refresh_token: string | null }>(
        svc,
        'SELECT kakao_access_token, kakao_refresh_token FROM sessions WHERE user_id = $1',
        [`kakao:${kakao.user.id}`],
      );

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
        const state = location.searchParams.get('state') ?? '';
        // signed by the service (issue time, nonce, HMAC), not the cookie's value: a planted cookie cannot name it
        expect(state).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
        const cookie = String(res.headers['set-cookie']);
        // plain-http development (PUBLIC_URL unset): the unprefixed cookie without Secure
        expect(cookie).toMatch(new RegExp(`^${STATE_COOKIE}=[A-Za-z0-9_-]{43};`));
        expect(cookie).not.toContain(state);
        expect(cookie).toMatch(/HttpOnly/);
        expect(cookie).toMatch(/SameSite=Lax/);
        expect(cookie).not.toMatch(/Secure|Domain/);
        expect(await sql(svc, 'SELECT * FROM kakao_states', [])).toEqual([]);
      });

      it('when the whole flow runs, then the callback exchanges the code and the frontend gets a one-time ticket that getToken turns into a session', async () => {
        const { state, binding } = await startLogin((o) => svc.app.inject(o));
        const res = await svc.app.inject({
          method: 'GET',
          url: `/kakao/callback?code=${GOOD_CODE}&state=${state}`,
          headers: { cookie: `other=1; ${STATE_COOKIE}=${binding}` },
        });
        expect(res.statusCode).toBe(302);
        expect(String(res.headers['set-cookie'])).toContain('Max-Age=0');
        const location = new URL(res.headers.location as string);
        expect(`${location.origin}${location.pathname}`).toBe('http://front.example/callback');
        const ticket = location.searchParams.get('code') ?? '';
        expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(ticket).not.toContain(GOOD_CODE);
        // The exchange already happened, at the callback, with the registered redirect URI.
        const tokenCall = kakao.requests.find((r) => r.path === '/oauth/token');
        expect(tokenCall?.form).toMatchObject({ code: GOOD_CODE, client_secret: 'test-secret', redirect_uri: 'http://api.example/kakao/callback' });
        expect(kakao.requests.find((r) => r.path === '/v2/user/me')?.authorization).toBe('Bearer kakao-at-1');
        expect(await kakaoUser()).toMatchObject({ kind: 'kakao', username: '카카오친구', email: 'friend@kakao.example' });

        const before = kakao.requests.length;
        const redeemed = await getToken(ticket);
        expect(redeemed.statusCode).toBe(200);
        const body = redeemed.json();
        expect(Object.keys(body).sort()).toEqual(['access_token', 'nickname', 'refresh_token', 'token_type', 'user_type']);
        expect(body).toMatchObject({ nickname: '카카오친구', user_type: '0', token_type: 'bearer' });
        expect(body.access_token).not.toMatch(/^kakao-at-/);
        expect(kakao.requests.length).toBe(before);
        expect(await searchAs(svc, events, body.access_token)).toEqual({ status: 200, userId: `kakao:${kakao.user.id}` });
        const refreshed = await svc.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token: body.refresh_token } });
        expect(refreshed.statusCode).toBe(200);
        expect(kakao.requests.length).toBe(before);
        expect(events.of('KakaoLogin_log').at(-1)).toMatchObject({ actor: { user_id: `kakao:${kakao.user.id}` }, fields: { status: 'success' } });
        expect(JSON.stringify(events.events)).not.toContain('friend@kakao.example');
      });

      it('when an attacker sends a victim to the frontend with a raw Kakao code of their own, then getToken refuses it and the victim gets no session', async () => {
        const res = await getToken(GOOD_CODE);
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual({ detail: expect.stringMatching(/log in with Kakao again/) });
        expect(kakao.requests).toHaveLength(0);
        expect(await kakaoUser()).toBeUndefined();
        expect(await sessionRows()).toHaveLength(0);
        expect(events.of('KakaoLogin_log').at(-1)).toMatchObject({
          actor: { user_id: 'anonymous' },
          fields: { status: 'fail', error: 'invalid_ticket' },
        });
      });

      it('when a ticket is redeemed a second time, then it is refused', async () => {
        const ticket = await ticketFor();
        expect((await getToken(ticket)).statusCode).toBe(200);
        const again = await getToken(ticket);
        expect(again.statusCode).toBe(400);
        expect(again.json().detail).toEqual(expect.any(String));
        expect(events.of('KakaoLogin_log').at(-1)?.fields).toMatchObject({ status: 'fail', error: 'invalid_ticket' });
      });

      it('when a ticket is redeemed at the end of its 60 s, then it is refused as expired; a second earlier it works', async () => {
        const late = await ticketFor();
        const early = await ticketFor(`${GOOD_CODE}-2`);
        clock.advance(59_000);
        expect((await getToken(early)).statusCode).toBe(200);
        clock.advance(1_000);
        const res = await getToken(late);
        expect(res.statusCode).toBe(400);
        expect(res.json().detail).toMatch(/expired/);
        expect(events.of('KakaoLogin_log').at(-1)?.fields).toMatchObject({ status: 'fail', error: 'ticket_expired' });
        expect((await getToken(late)).statusCode).toBe(400);
      });

      it('when two requests redeem one ticket at once, then exactly one gets the session', async () => {
        const ticket = await ticketFor();
        // Two database connections ready, so that the redeems below really run side by side.
        await Promise.all([getToken('warm-up-1'), getToken('warm-up-2')]);
        const results = await Promise.all([getToken(ticket), getToken(ticket)]);
        expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400]);
      });

      it('when a ticket is waiting, then the database holds only its SHA-256 and a sealed payload, never the ticket or the tokens', async () => {
        const ticket = await ticketFor();
        const rows = await sql<{ hash: string; payload: string }>(svc, 'SELECT * FROM kakao_tickets', []);
        const mine = rows.filter((r) => r.hash === createHash('sha256').update(ticket).digest('hex'));
        expect(mine).toHaveLength(1);
        const everything = JSON.stringify(rows);
        expect(everything).not.toContain(ticket);
        expect(everything).not.toContain('카카오친구');
        expect(mine[0]!.payload).toMatch(/^enc:v1:/);
        const { access_token } = (await getToken(ticket)).json();
        expect(everything).not.toContain(access_token);
        expect(await sql(svc, 'SELECT hash FROM kakao_tickets WHERE hash = $1', [mine[0]!.hash])).toHaveLength(0);
      });

      it('when tickets were never redeemed, then their rows are pruned by a later login once they are long expired', async () => {
        const abandoned = createHash('sha256')
          .update(await ticketFor())
          .digest('hex');
        const stored = async () => (await sql(svc, 'SELECT hash FROM kakao_tickets WHERE hash = $1', [abandoned])).length;
        clock.advance(5 * 60_000);
        await ticketFor(`${GOOD_CODE}-2`);
        expect(await stored()).toBe(1);
        clock.advance(20 * 60_000);
        await ticketFor(`${GOOD_CODE}-3`);
        expect(await stored()).toBe(0);
      });

      it("when a Kakao user logs in, then Kakao's tokens are stored sealed, not in clear", async () => {
        await kakaoLogin();
        const rows = await sessionRows();
        expect(rows).toHaveLength(1);
        expect(rows[0]!.kakao_access_token).toMatch(/^enc:v1:/);
        expect(rows[0]!.kakao_refresh_token).toMatch(/^enc:v1:/);
        expect(JSON.stringify(rows)).not.toMatch(/kakao-(at|rt)-/);
      });

      it('when Kakao calls back with an error (the person declined), then the frontend gets the error', async () => {
        const res = await callback('error=access_denied');
        expect(res.statusCode).toBe(302);
        expect(res.headers.location).toBe('http://front.example/callback?error=access_denied');
        expect(kakao.requests).toHaveLength(0);
      });

      it('when the callback state is forged or the cookie is missing, then it is refused with 400 and Kakao is not called', async () => {
        const { state, binding } = await startLogin((o) => svc.app.inject(o));
        const forged = await svc.app.inject({
          method: 'GET',
          url: `/kakao/callback?code=${GOOD_CODE}&state=attacker-state`,
          headers: { cookie: `${STATE_COOKIE}=${binding}` },
        });
        expect(forged.statusCode).toBe(400);
        expect(forged.json()).toEqual({ detail: expect.stringMatching(/state/) });
        const noCookie = await svc.app.inject({ method: 'GET', url: `/kakao/callback?code=${GOOD_CODE}&state=${state}` });
        expect(noCookie.statusCode).toBe(400);
        const noState = await svc.app.inject({
          method: 'GET',
          url: `/kakao/callback?code=${GOOD_CODE}`,
          headers: { cookie: `${STATE_COOKIE}=${binding}` },
        });
        expect(noState.statusCode).toBe(400);
        expect(kakao.requests).toHaveLength(0);
        expect(await kakaoUser()).toBeUndefined();
        expect(events.of('KakaoLogin_log').at(-1)?.fields).toMatchObject({ status: 'fail', error: 'state_mismatch' });
      });

      it('when a sibling subdomain planted a state cookie of its own choosing (the old double submit), then the callback refuses it without calling Kakao', async () => {
        // what an attacker could do before: pick any value, plant it as the cookie and send the victim to the callback with it
        const planted = await svc.app.inject({
          method: 'GET',
          url: `/kakao/callback?code=${GOOD_CODE}&state=chosen-by-attacker`,
          headers: { cookie: `${STATE_COOKIE}=chosen-by-attacker` },
        });
        expect(planted.statusCode).toBe(400);
        expect(planted.json().detail).toMatch(/state/);
        expect(kakao.requests).toHaveLength(0);
        expect(await kakaoUser()).toBeUndefined();
      });

      it('when a callback comes again with a state already used, then it is refused and Kakao is asked only once', async () => {
        const { state, binding } = await startLogin((o) => svc.app.inject(o));
        const again = () =>
          svc.app.inject({
            method: 'GET',
            url: `/kakao/callback?code=${GOOD_CODE}&state=${state}`,
            headers: { cookie: `${STATE_COOKIE}=${binding}` },
          });
        expect((await again()).statusCode).toBe(302);
        const tokenCalls = kakao.requests.filter((r) => r.path === '/oauth/token').length;
        const replay = await again();
        expect(replay.statusCode).toBe(400);
        expect(replay.json().detail).toMatch(/already used/);
        expect(kakao.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(tokenCalls);
        expect(events.of('KakaoLogin_log').at(-1)?.fields).toMatchObject({ status: 'fail', error: 'state_reused' });
        // only hashes are kept
        const rows = await sql<{ state_hash: string; binding_hash: string }>(svc, 'SELECT state_hash, binding_hash FROM kakao_states', []);
        expect(rows.map((r) => r.state_hash)).toContain(createHash('sha256').update(state).digest('hex'));
        expect(JSON.stringify(rows)).not.toContain(binding);
      });

      it('when two callbacks race with one state, then exactly one reaches Kakao', async () => {
        const { state, binding } = await startLogin((o) => svc.app.inject(o));
        const go = () =>
          svc.app.inject({
            method: 'GET',
            url: `/kakao/callback?code=${GOOD_CODE}&state=${state}`,
            headers: { cookie: `${STATE_COOKIE}=${binding}` },
          });
        const results = await Promise.all([go(), go(), go()]);
        expect(results.map((r) => r.statusCode).sort()).toEqual([302, 400, 400]);
        expect(kakao.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(1);
      });

      it('when Kakao calls back 10 minutes after getcode, then the state has expired and Kakao is not called', async () => {
        const { state, binding } = await startLogin((o) => svc.app.inject(o));
        clock.advance(10 * 60_000);
        const res = await svc.app.inject({
          method: 'GET',
          url: `/kakao/callback?code=${GOOD_CODE}&state=${state}`,
          headers: { cookie: `${STATE_COOKIE}=${binding}` },
        });
        expect(res.statusCode).toBe(400);
        expect(res.json().detail).toMatch(/expired/);
        expect(kakao.requests).toHaveLength(0);
        expect(events.of('KakaoLogin_log').at(-1)?.fields).toMatchObject({ status: 'fail', error: 'state_expired' });
      });

      it('when the same Kakao user logs in again, then the profile is updated and admin rights are kept', async () => {
        await kakaoLogin();
        await svc.container.accounts.setAdmin(`kakao:${kakao.user.id}`, true);
        kakao.user.nickname = '새닉네임';
        const again = (await getToken(await ticketFor(`${GOOD_CODE}-2`))).json();
        expect(again).toMatchObject({ nickname: '새닉네임', user_type: '1' });
      });

      it('when Kakao refuses the code at the callback, then the frontend gets error=kakao_rejected and no user is created', async () => {
        const res = await callback('code=stolen-or-used-code');
        expect(res.statusCode).toBe(302);
        expect(res.headers.location).toBe('http://front.example/callback?error=kakao_rejected');
        expect(await kakaoUser()).toBeUndefined();
        expect(events.of('KakaoLogin_log').at(-1)?.fields).toMatchObject({ status: 'fail', error: 'kakao_rejected' });
      });

      it.each([
        ['the token endpoint fails', () => (kakao.modes.token = 'down')],
        ['the token endpoint answers garbage', () => (kakao.modes.token = 'garbage')],
        ['the token endpoint hangs past the timeout', () => (kakao.modes.token = 'hang')],
        ['the user-info endpoint fails after the code was exchanged', () => (kakao.modes.profile = 'down')],
      ])('when %s, then the frontend gets error=kakao_unavailable and no user is created', async (_what, breakIt) => {
        breakIt();
        const res = await callback(`code=${GOOD_CODE}`);
        expect(res.statusCode).toBe(302);
        expect(res.headers.location).toBe('http://front.example/callback?error=kakao_unavailable');
        expect(await kakaoUser()).toBeUndefined();
        expect(events.of('KakaoLogin_log').at(-1)?.fields).toMatchObject({ status: 'fail', error: 'kakao_unavailable' });
      });

      it('when getToken has no code, then it answers 422', async () => {
        expect((await svc.app.inject({ method: 'GET', url: '/kakao/getToken' })).statusCode).toBe(422);
      });
    });

    describe('Kakao logout', () => {
      const logout = (authorization?: string) =>
        svc.app.inject({ method: 'POST', url: '/kakao/logout', headers: authorization === undefined ? {} : { authorization } });

      it('when a Kakao user logs out, then our session ends, Kakao is told with its own token, and the browser goes to the logout redirect', async () => {
        const { access_token, refresh_token } = await kakaoLogin();
        const res = await logout(access_token);
        expect(res.statusCode).toBe(303);
        expect(res.headers.location).toBe('http://front.example/callbackLogout');
        expect(kakao.requests.find((r) => r.path === '/v1/user/logout')).toMatchObject({ method: 'POST', authorization: 'Bearer kakao-at-1' });
        expect(await searchAs(svc, events, access_token)).toMatchObject({ userId: 'anonymous' });
        const refresh = await svc.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token } });
        expect(refresh.statusCode).toBe(401);
        expect(events.of('KakaoLogout_log').at(-1)).toMatchObject({ fields: { status: 'success', error: null } });
      });

      it('when the session was written before encryption (clear Kakao token), then logout still tells Kakao with it', async () => {
        const { access_token } = await kakaoLogin();
        await sql(svc, 'UPDATE sessions SET kakao_access_token = $1 WHERE user_id = $2', ['kakao-at-7', `kakao:${kakao.user.id}`]);
        expect((await logout(access_token)).statusCode).toBe(303);
        expect(kakao.requests.find((r) => r.path === '/v1/user/logout')?.authorization).toBe('Bearer kakao-at-7');
      });

      it('when the stored Kakao token cannot be opened (another key), then our session still ends and Kakao is not called', async () => {
        const { access_token } = await kakaoLogin();
        await sql(svc, 'UPDATE sessions SET kakao_access_token = $1 WHERE user_id = $2', [`enc:v1:${'A'.repeat(60)}`, `kakao:${kakao.user.id}`]);
        expect((await logout(access_token)).statusCode).toBe(303);
        expect(kakao.requests.filter((r) => r.path === '/v1/user/logout')).toHaveLength(0);
        expect(await searchAs(svc, events, access_token)).toMatchObject({ userId: 'anonymous' });
        expect(events.of('KakaoLogout_log').at(-1)?.fields).toMatchObject({ status: 'success', error: 'kakao_token_unreadable' });
      });

      it('when Kakao is down at logout, then our session still ends and the browser is still redirected', async () => {
        const { access_token } = await kakaoLogin();
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
      it('when Kakao cannot be reached at all, then the callback sends the frontend error=kakao_unavailable', async () => {
        const gone = await startFakeKakao();
        await gone.close();
        const cut = await startTestService({ ...(await backend.env!()), ...kakaoEnv(gone.baseUrl) });
        try {
          const { state, binding } = await startLogin((o) => cut.app.inject(o));
          const res = await cut.app.inject({
            method: 'GET',
            url: `/kakao/callback?code=${GOOD_CODE}&state=${state}`,
            headers: { cookie: `${STATE_COOKIE}=${binding}` },
          });
          expect(res.statusCode).toBe(302);
          expect(res.headers.location).toBe('http://front.example/callback?error=kakao_unavailable');
        } finally {
          await cut.close();
        }
      });
    });

    describe('over https (production)', () => {
      let secure: TestService;
      beforeAll(async () => {
        secure = await startTestService(
          { ...(await backend.env!()), ...kakaoEnv(kakao.baseUrl), PUBLIC_URL: 'https://api.example' },
          { events, clock },
        );
      });
      afterAll(async () => {
        await secure?.close();
      });
      const inject: Inject = (o) => secure.app.inject(o);

      it('when getcode is called, then the binding cookie is __Host- prefixed, Secure, Path=/ and without Domain, and the login works with it', async () => {
        const { state, binding, setCookie } = await startLogin(inject);
        expect(setCookie).toMatch(new RegExp(`^${HOST_STATE_COOKIE}=${binding}; Max-Age=600; Path=/; HttpOnly; Secure; SameSite=Lax$`));
        expect(setCookie).not.toMatch(/Domain/i);
        const res = await inject({
          method: 'GET',
          url: `/kakao/callback?code=${GOOD_CODE}&state=${state}`,
          headers: { cookie: `${HOST_STATE_COOKIE}=${binding}` },
        });
        expect(res.statusCode).toBe(302);
        expect(new URL(res.headers.location as string).searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(String(res.headers['set-cookie'])).toMatch(new RegExp(`^${HOST_STATE_COOKIE}=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax$`));
      });

      it("when a sibling subdomain plants the attacker's own genuine state binding as an unprefixed cookie, then the callback refuses it without calling Kakao", async () => {
        // the attacker starts a login in their own browser: a real state and its binding value
        const attacker = await startLogin(inject, '198.51.100.9');
        // a sibling (evil.example.com) can set `ticketmoa_kakao_state` with Domain=example.com, never a __Host- cookie
        const res = await inject({
          method: 'GET',
          url: `/kakao/callback?code=${GOOD_CODE}&state=${attacker.state}`,
          headers: { cookie: `${STATE_COOKIE}=${attacker.binding}` },
        });
        expect(res.statusCode).toBe(400);
        expect(res.json().detail).toMatch(/does not match this browser/);
        expect(kakao.requests).toHaveLength(0);
        expect(await kakaoUser()).toBeUndefined();
      });

      it("when the victim's own __Host- cookie comes with the attacker's state, then it does not match either", async () => {
        const attacker = await startLogin(inject, '198.51.100.9');
        const victim = await startLogin(inject);
        const res = await inject({
          method: 'GET',
          url: `/kakao/callback?code=${GOOD_CODE}&state=${attacker.state}`,
          headers: { cookie: `${HOST_STATE_COOKIE}=${victim.binding}` },
        });
        expect(res.statusCode).toBe(400);
        expect(kakao.requests).toHaveLength(0);
      });
    });

    describe('the callback rate limit', () => {
      it('when one client calls back more than 20 times a minute, then it gets 429 JSON with Retry-After and Kakao is not called, even with a good state', async () => {
        const limited = await startTestService(
          { ...(await backend.env!()), ...kakaoEnv(kakao.baseUrl), KAKAO_CALLBACK_LIMIT: undefined },
          { events, clock },
        );
        try {
          const inject: Inject = (o) => limited.app.inject(o);
          const client = '203.0.113.7';
          for (let i = 0; i < 20; i += 1) {
            const res = await inject({ method: 'GET', url: `/kakao/callback?code=x&state=junk-${i}`, remoteAddress: client });
            expect(res.statusCode).toBe(400);
          }
          const { state, binding } = await startLogin(inject, client);
          const over = await inject({
            method: 'GET',
            url: `/kakao/callback?code=${GOOD_CODE}&state=${state}`,
            headers: { cookie: `${STATE_COOKIE}=${binding}` },
            remoteAddress: client,
          });
          expect(over.statusCode).toBe(429);
          expect(over.headers['content-type']).toMatch(/^application\/json/);
          expect(over.json()).toMatchObject({ detail: expect.any(String), retry_after: 60 });
          expect(over.headers['retry-after']).toBe('60');
          expect(kakao.requests).toHaveLength(0);
          // another client is not held back, and the window ends
          const other = await startLogin(inject, '203.0.113.8');
          const fine = await inject({
            method: 'GET',
            url: `/kakao/callback?code=${GOOD_CODE}&state=${other.state}`,
            headers: { cookie: `${STATE_COOKIE}=${other.binding}` },
            remoteAddress: '203.0.113.8',
          });
          expect(fine.statusCode).toBe(302);
          clock.advance(60_000);
          const later = await inject({
            method: 'GET',
            url: `/kakao/callback?code=${GOOD_CODE}&state=${state}`,
            headers: { cookie: `${STATE_COOKIE}=${binding}` },
            remoteAddress: client,
          });
          expect(later.statusCode).toBe(302);
        } finally {
          await limited.close();
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
          const cb = await bare.app.inject({ method: 'GET', url: '/kakao/callback?code=x&state=s', headers: { cookie: `${STATE_COOKIE}=s` } });
          expect(cb.statusCode).toBe(503);
        } finally {
          await bare.close();
        }
      });
    });
  });
}
