import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { manualClock, type ManualClock } from '../../platform/clock.js';
import { login, PASSWORD, searchAs, signup, signupBody } from '../../test-support/accounts.js';
import { startTestService, type TestService } from '../../test-support/app.js';
import { testBackends } from '../../test-support/backends.js';
import { recordingEvents } from '../../test-support/recording-events.js';

const T0 = '2026-11-27T03:00:00Z';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const partsOf = (token: string) => token.split('.') as [string, string, string];
const payloadOf = (token: string) => JSON.parse(Buffer.from(partsOf(token)[1], 'base64url').toString()) as Record<string, unknown>;

for (const backend of await testBackends()) {
  describe.skipIf(backend.env === undefined)(`accounts over HTTP on ${backend.name}`, () => {
    let svc: TestService;
    let clock: ManualClock;
    let events: ReturnType<typeof recordingEvents>;

    const start = async () => {
      clock = manualClock(T0);
      events = recordingEvents();
      svc = await startTestService(await backend.env!(), { clock, events });
    };
    /** For blocks whose tests all need an empty database. */
    const servicePerTest = () => {
      beforeEach(start);
      afterEach(async () => svc?.close());
    };
    /**
     * For blocks whose tests leave each other alone (each works on its own session): one service,
     * with the clock and the recorded events starting over for every test.
     */
    const servicePerBlock = (setup: () => Promise<void>) => {
      beforeAll(async () => {
        await start();
        await setup();
      });
      beforeEach(() => {
        clock.set(T0);
        events.clear();
      });
      afterAll(async () => svc?.close());
    };

    describe('signup', () => {
      servicePerTest();

      it('when an id is free, check-id says so; once signed up, it answers 400 with is_taken', async () => {
        const free = await svc.app.inject({ method: 'POST', url: '/signup/check-id', payload: { id: 'moa2026' } });
        expect(free.statusCode).toBe(200);
        expect(free.json()).toEqual({ is_taken: false });

        const created = await svc.app.inject({ method: 'POST', url: '/signup/signup', payload: signupBody() });
        expect(created.statusCode).toBe(200);
        expect(created.json()).toEqual({ success: true });

        const taken = await svc.app.inject({ method: 'POST', url: '/signup/check-id', payload: { id: 'moa2026' } });
        expect(taken.statusCode).toBe(400);
        expect(taken.json()).toMatchObject({ is_taken: true, detail: expect.any(String) });
        expect(events.of('Signup_log').map((e) => [e.action, e.fields.status, e.fields.requested_id])).toEqual([
          ['check_id', 'available', 'moa2026'],
          ['signup', 'success', 'moa2026'],
          ['check_id', 'taken', 'moa2026'],
        ]);
      });

      it('when the id is taken, then signup answers 409 with is_taken and keeps the first account', async () => {
        await signup(svc);
        const again = await svc.app.inject({ method: 'POST', url: '/signup/signup', payload: signupBody({ username: '다른사람', pw: 'other' }) });
        expect(again.statusCode).toBe(409);
        expect(again.json()).toMatchObject({ is_taken: true });
        expect((await login(svc)).statusCode).toBe(200);
      });

      it('when fields are invalid, then it answers 422 naming each field and creates nothing', async () => {
        const res = await svc.app.inject({
          method: 'POST',
          url: '/signup/signup',
          payload: signupBody({ id: '123', gender: 'X', birthday: '2023-02-30', email: 'not-an-email', phoneNumber: '010-abc', username: ' ' }),
        });
        expect(res.statusCode).toBe(422);
        const body = res.json() as { detail: string; errors: { field: string }[] };
        expect(body.detail).toEqual(expect.any(String));
        expect(body.errors.map((e) => e.field).sort()).toEqual(
          ['birthday', 'email', 'gender', 'id', 'phoneNumber', 'username'].map((f) => `body.${f}`),
        );
        expect(await svc.container.stores.accounts.findUser('123')).toBeUndefined();
        expect(events.of('Signup_log').at(-1)?.fields).toMatchObject({ status: 'fail', error: 'invalid' });
      });

      it('when the birthday is today (KST) or later, then it is refused; empty email and phone are fine', async () => {
        // 03:00 UTC on 27 Nov is already 27 Nov in Seoul.
        const today = await svc.app.inject({ method: 'POST', url: '/signup/signup', payload: signupBody({ birthday: '2026-11-27' }) });
        expect(today.statusCode).toBe(422);
        expect(today.json().errors).toEqual([{ field: 'body.birthday', message: 'must be a date in the past' }]);
        const ok = await svc.app.inject({
          method: 'POST',
          url: '/signup/signup',
          payload: signupBody({ birthday: '2026-11-26', email: '', phoneNumber: '' }),
        });
        expect(ok.statusCode).toBe(200);
      });

      it('when a required field is missing, then the schema answers 422 with field errors', async () => {
        const { gender: _omit, ...body } = signupBody();
        const res = await svc.app.inject({ method: 'POST', url: '/signup/signup', payload: body });
        expect(res.statusCode).toBe(422);
        expect(res.json().errors[0].field).toBe('body.gender');
      });

      it('when an account is created, then only an argon2id hash of the password is stored', async () => {
        await signup(svc, { phoneNumber: '010-1234-5678' });
        const user = await svc.container.stores.accounts.findUser('moa2026');
        expect(user?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
        expect(user?.passwordHash).not.toContain(PASSWORD);
        expect(user).toMatchObject({ phoneNumber: '01012345678', gender: 'F', birthday: '1995-03-14', agreeMarketing: false });
      });
    });

    describe('login', () => {
      servicePerBlock(() => signup(svc));

      it('when the password is right, then it answers tokens, username and user_type "0"', async () => {
        const res = await login(svc);
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body).toMatchObject({ token_type: 'bearer', username: '김모아', user_type: '0' });
        expect(body.access_token).toEqual(expect.any(String));
        expect(body.refresh_token).not.toBe(body.access_token);
        expect(JSON.parse(Buffer.from(partsOf(body.access_token)[0], 'base64url').toString())).toMatchObject({ alg: 'HS256' });
        expect(payloadOf(body.access_token).exp).toBe(Date.parse('2026-11-27T03:30:00Z') / 1000);
        expect(payloadOf(body.refresh_token).exp).toBe(Date.parse('2026-11-28T03:00:00Z') / 1000);
        expect(events.of('Login_log')).toEqual([
          expect.objectContaining({
            actor: expect.objectContaining({ user_id: 'moa2026', gender: 'F', birth_year: 1995 }),
            fields: { status: 'success' },
          }),
        ]);
      });

      it('when the password is wrong or the id unknown, then both answer the same 401', async () => {
        const wrong = await login(svc, 'moa2026', 'wrong');
        const unknown = await login(svc, 'nobody11', PASSWORD);
        expect(wrong.statusCode).toBe(401);
        expect(unknown.statusCode).toBe(401);
        expect(wrong.json()).toEqual(unknown.json());
        expect(events.of('Validate')).toHaveLength(2);
        expect(events.of('Login_log')).toHaveLength(0);
      });

      it('when a token is sent, then read endpoints see the user; raw and Bearer forms both work', async () => {
        const { access_token } = (await login(svc)).json();
        expect(await searchAs(svc, events, access_token)).toEqual({ status: 200, userId: 'moa2026' });
        expect(await searchAs(svc, events, `Bearer ${access_token}`)).toEqual({ status: 200, userId: 'moa2026' });
        expect(await searchAs(svc, events, '')).toEqual({ status: 200, userId: 'anonymous' });
        expect(await searchAs(svc, events, undefined)).toEqual({ status: 200, userId: 'anonymous' });
      });

      it('when a token is tampered with, signed with alg none, or expired, then the request is anonymous, never the user', async () => {
        const { access_token } = (await login(svc)).json();
        const [header, payload, signature] = partsOf(access_token);
        const tampered = `${header}.${b64({ ...payloadOf(access_token), sub: 'someoneelse' })}.${signature}`;
        const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`;
        const badSignature = `${header}.${payload}.${signature.slice(0, -4)}AAAA`;
        for (const token of [tampered, unsigned, badSignature, 'garbage']) {
          expect(await searchAs(svc, events, token)).toEqual({ status: 200, userId: 'anonymous' });
        }
        clock.advance(30 * 60 * 1000 + 1000);
        expect(await searchAs(svc, events, access_token)).toEqual({ status: 200, userId: 'anonymous' });
      });

      it('when grant-admin has run, then login answers user_type "1", and "0" again after revoke-admin', async () => {
        const { changeAdmin } = await import('../../cli/grant-admin.js');
        const lines: string[] = [];
        expect(
          await changeAdmin(
            svc.container.accounts,
            'moa2026',
            true,
            (l) => lines.push(l),
            (l) => lines.push(l),
          ),
        ).toBe(0);
        expect((await login(svc)).json().user_type).toBe('1');
        expect(
          await changeAdmin(
            svc.container.accounts,
            'moa2026',
            false,
            (l) => lines.push(l),
            (l) => lines.push(l),
          ),
        ).toBe(0);
        expect((await login(svc)).json().user_type).toBe('0');
        expect(
          await changeAdmin(
            svc.container.accounts,
            'nobody11',
            true,
            (l) => lines.push(l),
            (l) => lines.push(l),
          ),
        ).toBe(1);
      });
    });

    describe('sessions', () => {
      servicePerBlock(() => signup(svc));
      const refresh = (token: string) => svc.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token: token } });
      const logout = (authorization?: string) =>
        svc.app.inject({ method: 'POST', url: '/auth/logout', headers: authorization === undefined ? {} : { authorization } });

      it('when refreshed, then a new pair comes back and the old refresh token is retired', async () => {
        const first = (await login(svc)).json();
        clock.advance(60_000);
        const second = await refresh(first.refresh_token);
        expect(second.statusCode).toBe(200);
        const pair = second.json();
        expect(pair.token_type).toBe('bearer');
        expect(pair.refresh_token).not.toBe(first.refresh_token);
        expect(await searchAs(svc, events, pair.access_token)).toMatchObject({ userId: 'moa2026' });
        const third = await refresh(pair.refresh_token);
        expect(third.statusCode).toBe(200);
      });

      it('when a retired refresh token is used again after the grace window, then the whole session is revoked', async () => {
        const first = (await login(svc)).json();
        const second = (await refresh(first.refresh_token)).json();
        clock.advance(10_000);
        const reuse = await refresh(first.refresh_token);
        expect(reuse.statusCode).toBe(401);
        // The legitimate holder's newest tokens die with it.
        expect((await refresh(second.refresh_token)).statusCode).toBe(401);
        expect(await searchAs(svc, events, second.access_token)).toMatchObject({ userId: 'anonymous' });
      });

      it('when two refreshes race with one token (two tabs, a retry), then both get working tokens of the same live session', async () => {
        const first = (await login(svc)).json();
        clock.advance(60_000);
        const [a, b] = await Promise.all([refresh(first.refresh_token), refresh(first.refresh_token)]);
        expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
        const [pa, pb] = [a.json(), b.json()];
        // Both hold the session's one current refresh token, and both access tokens speak for the user.
        expect(payloadOf(pa.refresh_token).jti).toBe(payloadOf(pb.refresh_token).jti);
        expect(payloadOf(pa.refresh_token).sid).toBe(payloadOf(first.refresh_token).sid);
        expect(await searchAs(svc, events, pa.access_token)).toMatchObject({ userId: 'moa2026' });
        expect(await searchAs(svc, events, pb.access_token)).toMatchObject({ userId: 'moa2026' });
        // A late retry within the window is answered the same way; the session stays alive.
        clock.advance(9_000);
        const retry = await refresh(first.refresh_token);
        expect(retry.statusCode).toBe(200);
        expect(payloadOf(retry.json().refresh_token).jti).toBe(payloadOf(pa.refresh_token).jti);
        const next = await refresh(pb.refresh_token);
        expect(next.statusCode).toBe(200);
        expect(await searchAs(svc, events, next.json().access_token)).toMatchObject({ userId: 'moa2026' });
        expect(await searchAs(svc, events, pa.access_token)).toMatchObject({ userId: 'moa2026' });
      });

      it('when two API instances on the same database get one refresh token at once, then both answer with the same live session', async () => {
        const { createContainer } = await import('../../container.js');
        const second = await createContainer(svc.container.config, { clock });
        const other = await second.buildHttp();
        try {
          const first = (await login(svc)).json();
          const [a, b] = await Promise.all([
            refresh(first.refresh_token),
            other.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token: first.refresh_token } }),
          ]);
          expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
          expect(payloadOf(a.json().refresh_token).jti).toBe(payloadOf(b.json().refresh_token).jti);
          expect((await refresh(b.json().refresh_token)).statusCode).toBe(200);
        } finally {
          await other.close();
          await second.close();
        }
      });

      it('when a session reaches its absolute lifetime (30 days), then refreshing cannot extend it', async () => {
        const start = Date.parse(T0);
        const end = start + 30 * 24 * 60 * 60 * 1000;
        let pair = (await login(svc)).json();
        // Refreshed every 23 hours, well inside the 24-hour refresh lifetime.
        for (let at = start + 23 * 3_600_000; at < end - 3_600_000; at += 23 * 3_600_000) {
          clock.set(new Date(at));
          const res = await refresh(pair.refresh_token);
          expect(res.statusCode).toBe(200);
          pair = res.json();
          expect(payloadOf(pair.refresh_token).exp).toBeLessThanOrEqual(end / 1000);
        }
        clock.set(new Date(end - 10 * 60_000));
        const last = await refresh(pair.refresh_token);
        expect(last.statusCode).toBe(200);
        pair = last.json();
        expect(payloadOf(pair.refresh_token).exp).toBe(end / 1000);
        expect(payloadOf(pair.access_token).exp).toBe(end / 1000);
        expect(await searchAs(svc, events, pair.access_token)).toMatchObject({ userId: 'moa2026' });

        clock.set(new Date(end));
        expect((await refresh(pair.refresh_token)).statusCode).toBe(401);
        expect(await searchAs(svc, events, pair.access_token)).toMatchObject({ userId: 'anonymous' });
        expect((await login(svc)).statusCode).toBe(200);
      });

      it('when logged out, then the refresh token stops working and the access token is anonymous', async () => {
        const pair = (await login(svc)).json();
        const out = await logout(pair.access_token);
        expect(out.statusCode).toBe(200);
        expect(events.of('Logout_log').at(-1)).toMatchObject({ actor: { user_id: 'moa2026' }, fields: { status: 'success' } });
        expect((await refresh(pair.refresh_token)).statusCode).toBe(401);
        expect(await searchAs(svc, events, pair.access_token)).toMatchObject({ userId: 'anonymous' });
        // Other sessions of the same person are untouched.
      });

      it('when the access token has expired but is genuine, then logout still ends the session', async () => {
        const pair = (await login(svc)).json();
        clock.advance(2 * 60 * 60 * 1000);
        expect((await logout(`Bearer ${pair.access_token}`)).statusCode).toBe(200);
        expect((await refresh(pair.refresh_token)).statusCode).toBe(401);
      });

      it('when the browser sends Content-Type: application/json with no body, then logout still works', async () => {
        const pair = (await login(svc)).json();
        const res = await svc.app.inject({
          method: 'POST',
          url: '/auth/logout',
          headers: { authorization: pair.access_token, 'content-type': 'application/json' },
        });
        expect(res.statusCode).toBe(200);
        const broken = await svc.app.inject({
          method: 'POST',
          url: '/auth/login',
          headers: { 'content-type': 'application/json' },
          payload: '{"id":',
        });
        expect(broken.statusCode).toBe(400);
        const empty = await svc.app.inject({ method: 'POST', url: '/auth/login', headers: { 'content-type': 'application/json' }, payload: '' });
        expect(empty.statusCode).toBe(422);
      });

      it('when logout gets no token, a forged one or an alg none one, then it answers 401', async () => {
        const pair = (await login(svc)).json();
        const [, payload] = partsOf(pair.access_token);
        expect((await logout()).statusCode).toBe(401);
        expect((await logout(`${b64({ alg: 'none' })}.${payload}.`)).statusCode).toBe(401);
        expect((await logout(`${partsOf(pair.access_token)[0]}.${payload}.AAAA`)).statusCode).toBe(401);
        expect((await refresh(pair.refresh_token)).statusCode).toBe(200);
      });

      it('when a refresh token is presented as an access token (or the reverse), then it is refused', async () => {
        const pair = (await login(svc)).json();
        expect(await searchAs(svc, events, pair.refresh_token)).toMatchObject({ userId: 'anonymous' });
        expect((await refresh(pair.access_token)).statusCode).toBe(401);
      });

      it('when the refresh token has expired, then refresh answers 401', async () => {
        const pair = (await login(svc)).json();
        clock.advance(24 * 60 * 60 * 1000 + 1000);
        expect((await refresh(pair.refresh_token)).statusCode).toBe(401);
      });
    });

    describe('events', () => {
      servicePerTest();

      it('never carry a password, token, email, phone or full birthday', async () => {
        await svc.app.inject({ method: 'POST', url: '/signup/check-id', payload: { id: 'moa2026' } });
        await signup(svc);
        await login(svc, 'moa2026', 'wrong-password');
        const pair = (await login(svc)).json();
        await svc.app.inject({ method: 'POST', url: '/auth/logout', headers: { authorization: pair.access_token } });
        const all = JSON.stringify(events.events);
        for (const secret of [PASSWORD, 'wrong-password', pair.access_token, pair.refresh_token, 'moa@example.com', '01012345678', '1995-03-14']) {
          expect(all).not.toContain(secret);
        }
        expect(new Set(events.events.map((e) => e.topic))).toEqual(new Set(['Signup_log', 'Validate', 'Login_log', 'Logout_log']));
      });
    });
  });
}
