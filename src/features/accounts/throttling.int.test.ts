import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock, type ManualClock } from '../../platform/clock.js';
import { login, PASSWORD, signup } from '../../test-support/accounts.js';
import { startTestService, type TestService } from '../../test-support/app.js';
import { testBackends } from '../../test-support/backends.js';
import { recordingEvents } from '../../test-support/recording-events.js';

for (const backend of await testBackends()) {
  describe.skipIf(backend.env === undefined)(`login throttling on ${backend.name}`, () => {
    let svc: TestService;
    let clock: ManualClock;
    let events: ReturnType<typeof recordingEvents>;

    afterEach(async () => svc?.close());

    describe('failed logins per (id, client)', () => {
      beforeEach(async () => {
        clock = manualClock('2026-11-27T03:00:00Z');
        events = recordingEvents();
        svc = await startTestService({ ...(await backend.env!()), LOGIN_FAILURE_LIMIT: '3', LOGIN_FAILURE_WINDOW_SECONDS: '600' }, { clock, events });
        await signup(svc);
      });

      it('when an id has too many failures from one client, then that client gets 429 with Retry-After, even with the right password, until the window ends', async () => {
        for (let i = 0; i < 3; i++) expect((await login(svc, 'moa2026', 'guess')).statusCode).toBe(401);
        clock.advance(100_000);
        const blocked = await login(svc);
        expect(blocked.statusCode).toBe(429);
        expect(blocked.headers['retry-after']).toBe('500');
        expect(blocked.json().detail).toEqual(expect.any(String));
        expect(events.of('Validate').at(-1)?.fields).toMatchObject({ status: 'fail', error: 'throttled' });

        clock.advance(500_000);
        expect((await login(svc)).statusCode).toBe(200);
      });

      it('when a login succeeds, then the failure count starts over', async () => {
        for (let i = 0; i < 2; i++) await login(svc, 'moa2026', 'guess');
        expect((await login(svc)).statusCode).toBe(200);
        for (let i = 0; i < 2; i++) await login(svc, 'moa2026', 'guess');
        expect((await login(svc)).statusCode).toBe(200);
      });

      it('when one id is blocked for a client, then other ids can still log in from it', async () => {
        await signup(svc, { id: 'other2026' });
        for (let i = 0; i < 3; i++) await login(svc, 'moa2026', 'guess');
        expect((await login(svc)).statusCode).toBe(429);
        expect((await login(svc, 'other2026', PASSWORD)).statusCode).toBe(200);
      });

      it('when the counter lives in the store, then a second API instance on the same data sees it', async () => {
        for (let i = 0; i < 3; i++) await login(svc, 'moa2026', 'guess');
        const { createContainer } = await import('../../container.js');
        const second = await createContainer(svc.container.config, { clock });
        const app = await second.buildHttp();
        try {
          const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { id: 'moa2026', password: PASSWORD } });
          expect(res.statusCode).toBe(429);
        } finally {
          await app.close();
          await second.close();
        }
      });
    });

    describe('bursts from one client', () => {
      beforeEach(async () => {
        clock = manualClock('2026-11-27T03:00:00Z');
        events = recordingEvents();
        svc = await startTestService({ ...(await backend.env!()), AUTH_BURST_LIMIT: '4', AUTH_BURST_WINDOW_SECONDS: '60' }, { clock, events });
      });

      it('when one client sends too many login and signup requests, then it gets 429 until the window ends', async () => {
        const checkId = (id: string) => svc.app.inject({ method: 'POST', url: '/signup/check-id', payload: { id } });
        for (const id of ['aaaa1', 'bbbb1', 'cccc1']) expect((await checkId(id)).statusCode).toBe(200);
        expect((await login(svc, 'dddd1', 'x')).statusCode).toBe(401);
        const blocked = await checkId('eeee1');
        expect(blocked.statusCode).toBe(429);
        expect(Number(blocked.headers['retry-after'])).toBe(60);
        expect((await login(svc, 'dddd1', 'x')).statusCode).toBe(429);

        clock.advance(60_000);
        expect((await checkId('eeee1')).statusCode).toBe(200);
      });

      it('when another client sends requests, then it is counted separately', async () => {
        const from = (ip: string) => svc.app.inject({ method: 'POST', url: '/signup/check-id', payload: { id: 'abcd1' }, remoteAddress: ip });
        for (let i = 0; i < 4; i++) await from('10.0.0.1');
        expect((await from('10.0.0.1')).statusCode).toBe(429);
        expect((await from('10.0.0.2')).statusCode).toBe(200);
      });
    });

    describe('failed logins from many clients', () => {
      const loginFrom = (client: string, id = 'moa2026', password = PASSWORD) =>
        svc.app.inject({ method: 'POST', url: '/auth/login', payload: { id, password }, remoteAddress: client });

      beforeEach(async () => {
        clock = manualClock('2026-11-27T03:00:00Z');
        svc = await startTestService(
          {
            ...(await backend.env!()),
            LOGIN_FAILURE_LIMIT: '3',
            LOGIN_CLIENT_FAILURE_LIMIT: '5',
            LOGIN_ID_FAILURE_LIMIT: '7',
            LOGIN_FAILURE_WINDOW_SECONDS: '600',
          },
          { clock },
        );
        await signup(svc);
      });

      it('when a stranger fails on an id from one client, then the owner still logs in from another (no lockout)', async () => {
        for (let i = 0; i < 3; i++) expect((await loginFrom('198.51.100.66', 'moa2026', 'guess')).statusCode).toBe(401);
        expect((await loginFrom('198.51.100.66', 'moa2026', 'guess')).statusCode).toBe(429);
        expect((await loginFrom('198.51.100.66')).statusCode).toBe(429);
        expect((await loginFrom('203.0.113.10')).statusCode).toBe(200);
        // and the stranger's refused tries did not count towards the id's ceiling
        for (let i = 0; i < 20; i++) expect((await loginFrom('198.51.100.66', 'moa2026', 'guess')).statusCode).toBe(429);
        expect((await loginFrom('203.0.113.10')).statusCode).toBe(200);
      });

      it('when one client guesses across many ids, then it gets 429 on the next id, and other clients do not', async () => {
        for (let i = 0; i < 5; i++) expect((await loginFrom('198.51.100.66', `nobody${i}`, 'guess')).statusCode).toBe(401);
        const blocked = await loginFrom('198.51.100.66', 'nobody9', 'guess');
        expect(blocked.statusCode).toBe(429);
        expect(blocked.headers['retry-after']).toBe('600');
        expect((await loginFrom('198.51.100.66')).statusCode).toBe(429);
        expect((await loginFrom('203.0.113.10', 'nobody9', 'guess')).statusCode).toBe(401);
      });

      it('when many clients guess one id, then the id is slowed at its ceiling (429 with Retry-After) until the window ends', async () => {
        for (const client of ['198.51.100.1', '198.51.100.2']) {
          for (let i = 0; i < 3; i++) expect((await loginFrom(client, 'moa2026', 'guess')).statusCode).toBe(401);
        }
        expect((await loginFrom('198.51.100.3', 'moa2026', 'guess')).statusCode).toBe(401);
        clock.advance(200_000);
        const slowed = await loginFrom('203.0.113.10');
        expect(slowed.statusCode).toBe(429);
        expect(slowed.headers['retry-after']).toBe('400');
        expect((await loginFrom('203.0.113.10', 'other2026', 'guess')).statusCode).toBe(401);
        clock.advance(400_000);
        expect((await loginFrom('203.0.113.10')).statusCode).toBe(200);
      });

      it('when a login succeeds, then it does not count towards the client or id limits', async () => {
        for (let i = 0; i < 10; i++) expect((await loginFrom('198.51.100.7')).statusCode).toBe(200);
        for (let i = 0; i < 3; i++) expect((await loginFrom('198.51.100.7', 'moa2026', 'guess')).statusCode).toBe(401);
      });
    });

    describe('parallel guessing', () => {
      beforeEach(async () => {
        clock = manualClock('2026-11-27T03:00:00Z');
        svc = await startTestService(await backend.env!(), { clock });
        await signup(svc);
      });

      it('when 30 wrong passwords for one id arrive at once from one client, then at most the limit (5) are checked and the rest get 429', async () => {
        const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => login(svc, 'moa2026', `guess-${i}`)));
        const statuses = answers.map((a) => a.statusCode);
        expect(statuses.filter((s) => s === 401)).toHaveLength(5);
        expect(statuses.filter((s) => s === 429)).toHaveLength(25);
        for (const a of answers.filter((x) => x.statusCode === 429)) expect(Number(a.headers['retry-after'])).toBeGreaterThan(0);
        expect((await login(svc)).statusCode).toBe(429);
      });
    });

    describe('behind a trusted proxy', () => {
      const viaProxy = (forwardedFor: string, proxy = '10.9.9.9') =>
        svc.app.inject({
          method: 'POST',
          url: '/signup/check-id',
          payload: { id: 'abcd1' },
          remoteAddress: proxy,
          headers: { 'x-forwarded-for': forwardedFor },
        });
      const start = async (trustProxy: string) => {
        clock = manualClock('2026-11-27T03:00:00Z');
        svc = await startTestService({ ...(await backend.env!()), AUTH_BURST_LIMIT: '2', TRUST_PROXY: trustProxy }, { clock });
      };

      it('when TRUST_PROXY is set, then clients behind the proxy are told apart by X-Forwarded-For', async () => {
        await start('1');
        for (let i = 0; i < 2; i++) expect((await viaProxy('203.0.113.7')).statusCode).toBe(200);
        expect((await viaProxy('203.0.113.7')).statusCode).toBe(429);
        expect((await viaProxy('198.51.100.4')).statusCode).toBe(200);
        expect(svc.container.warnings.join()).not.toContain('TRUST_PROXY');
      });

      it('when a client writes its own X-Forwarded-For (TRUST_PROXY=1), then the address the proxy appended is counted, not the spoofed one', async () => {
        await start('1');
        for (let i = 0; i < 2; i++) expect((await viaProxy(`192.0.2.${i}, 203.0.113.7`)).statusCode).toBe(200);
        expect((await viaProxy('192.0.2.99, 203.0.113.7')).statusCode).toBe(429);
        expect((await viaProxy('198.51.100.4')).statusCode).toBe(200);
      });

      it('when there are two proxies (TRUST_PROXY=2), then the address the outer proxy saw is counted', async () => {
        await start('2');
        for (let i = 0; i < 2; i++) expect((await viaProxy(`192.0.2.${i}, 203.0.113.7, 10.9.8.${i}`)).statusCode).toBe(200);
        expect((await viaProxy('192.0.2.99, 203.0.113.7, 10.9.8.7')).statusCode).toBe(429);
        expect((await viaProxy('192.0.2.1, 198.51.100.4, 10.9.8.1')).statusCode).toBe(200);
      });

      it('when TRUST_PROXY lists the proxies, then only those are believed, and a request from elsewhere counts its own address', async () => {
        await start('10.9.9.0/24, 10.9.8.1');
        for (let i = 0; i < 2; i++) expect((await viaProxy(`192.0.2.${i}, 203.0.113.7, 10.9.8.1`)).statusCode).toBe(200);
        expect((await viaProxy('192.0.2.99, 203.0.113.7')).statusCode).toBe(429);
        // not a listed proxy: its X-Forwarded-For is ignored
        for (let i = 0; i < 2; i++) expect((await viaProxy(`192.0.2.${i + 10}`, '198.51.100.200')).statusCode).toBe(200);
        expect((await viaProxy('192.0.2.50', '198.51.100.200')).statusCode).toBe(429);
      });

      it('when TRUST_PROXY=true, then the service warns at start', async () => {
        await start('true');
        expect(svc.container.warnings.join('\n')).toContain('TRUST_PROXY=true believes the left-most X-Forwarded-For');
      });
    });

    describe('IPv6 clients', () => {
      beforeEach(async () => {
        clock = manualClock('2026-11-27T03:00:00Z');
        svc = await startTestService({ ...(await backend.env!()), AUTH_BURST_LIMIT: '2' }, { clock });
      });
      const from = (ip: string) => svc.app.inject({ method: 'POST', url: '/signup/check-id', payload: { id: 'abcd1' }, remoteAddress: ip });

      it('when addresses share a /64, then they are one client; another /64 is another client', async () => {
        expect((await from('2001:db8:1:2::1')).statusCode).toBe(200);
        expect((await from('2001:db8:1:2:ffff:ffff:ffff:fffe')).statusCode).toBe(200);
        expect((await from('2001:db8:1:2:1234::99')).statusCode).toBe(429);
        expect((await from('2001:db8:1:3::1')).statusCode).toBe(200);
      });

      it('when an IPv4-mapped IPv6 address arrives, then it counts as its IPv4 address', async () => {
        expect((await from('::ffff:198.51.100.4')).statusCode).toBe(200);
        expect((await from('198.51.100.4')).statusCode).toBe(200);
        expect((await from('::ffff:198.51.100.4')).statusCode).toBe(429);
        expect((await from('198.51.100.5')).statusCode).toBe(200);
      });
    });
  });
}
