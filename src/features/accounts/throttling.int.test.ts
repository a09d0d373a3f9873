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

    describe('failed logins per id', () => {
      beforeEach(async () => {
        clock = manualClock('2026-11-27T03:00:00Z');
        events = recordingEvents();
        svc = await startTestService({ ...(await backend.env!()), LOGIN_FAILURE_LIMIT: '3', LOGIN_FAILURE_WINDOW_SECONDS: '600' }, { clock, events });
        await signup(svc);
      });

      it('when an id has too many failures, then it gets 429 with Retry-After, even with the right password, until the window ends', async () => {
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

      it('when one id is blocked, then other ids can still log in', async () => {
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

    describe('behind a trusted proxy', () => {
      beforeEach(async () => {
        clock = manualClock('2026-11-27T03:00:00Z');
        svc = await startTestService({ ...(await backend.env!()), AUTH_BURST_LIMIT: '2', TRUST_PROXY: '1' }, { clock });
      });

      it('when TRUST_PROXY is set, then clients behind the proxy are told apart by X-Forwarded-For', async () => {
        const from = (ip: string) =>
          svc.app.inject({
            method: 'POST',
            url: '/signup/check-id',
            payload: { id: 'abcd1' },
            remoteAddress: '10.9.9.9',
            headers: { 'x-forwarded-for': ip },
          });
        for (let i = 0; i < 2; i++) expect((await from('203.0.113.7')).statusCode).toBe(200);
        expect((await from('203.0.113.7')).statusCode).toBe(429);
        expect((await from('198.51.100.4')).statusCode).toBe(200);
      });
    });
  });
}
