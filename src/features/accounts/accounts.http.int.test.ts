import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, signupBody } from '../../test-support/accounts.js';
import { startTestService, type TestService } from '../../test-support/app.js';
import { testBackends } from '../../test-support/backends.js';
import { type FakeKakao, GOOD_CODE, startFakeKakao } from '../../test-support/fake-kakao.js';

for (const backend of await testBackends()) {
  describe.skipIf(backend.env === undefined)(`accounts and Kakao over real HTTP on ${backend.name}`, () => {
    let svc: TestService;
    let kakao: FakeKakao;
    let base: string;

    beforeAll(async () => {
      kakao = await startFakeKakao();
      svc = await startTestService({
        ...(await backend.env!()),
        KAKAO_CLIENT_ID: 'test-client',
        KAKAO_AUTH_BASE_URL: kakao.baseUrl,
        KAKAO_API_BASE_URL: kakao.baseUrl,
        FRONTEND_URL: 'http://front.example',
      });
      await svc.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(svc.app.server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await svc.close();
      await kakao.close();
    });

    const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    describe('over real HTTP on a clean data dir', () => {
      it('when a person signs up, logs in, refreshes and logs out, then every step answers as the contract says', async () => {
        expect(await (await post('/signup/check-id', { id: 'httpuser1' })).json()).toEqual({ is_taken: false });
        expect(await (await post('/signup/signup', signupBody({ id: 'httpuser1' }))).json()).toEqual({ success: true });

        const loginRes = await post('/auth/login', { id: 'httpuser1', password: PASSWORD });
        expect(loginRes.status).toBe(200);
        const pair = (await loginRes.json()) as { access_token: string; refresh_token: string; user_type: string };
        expect(pair.user_type).toBe('0');

        const refreshed = await post('/auth/refresh', { refresh_token: pair.refresh_token });
        expect(refreshed.status).toBe(200);
        const next = (await refreshed.json()) as { access_token: string; refresh_token: string };

        const out = await post('/auth/logout', undefined, { authorization: next.access_token });
        expect(out.status).toBe(200);
        expect((await post('/auth/refresh', { refresh_token: next.refresh_token })).status).toBe(401);
      });

      it('when a browser goes through the Kakao flow, then the state cookie round-trips and getToken returns our token', async () => {
        const start = await fetch(`${base}/kakao/getcode`, { redirect: 'manual' });
        expect(start.status).toBe(302);
        const state = new URL(start.headers.get('location') ?? '').searchParams.get('state');
        const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

        const back = await fetch(`${base}/kakao/callback?code=${GOOD_CODE}&state=${state}`, { redirect: 'manual', headers: { cookie } });
        expect(back.status).toBe(302);
        const code = new URL(back.headers.get('location') ?? '').searchParams.get('code') ?? '';

        const token = await fetch(`${base}/kakao/getToken?code=${code}`);
        expect(token.status).toBe(200);
        const { access_token } = (await token.json()) as { access_token: string };

        const out = await post('/kakao/logout', undefined, { authorization: `Bearer ${access_token}` });
        expect(out.status).toBe(303);
        expect(out.headers.get('location')).toBe('http://front.example/callbackLogout');
      });

      it('when the browser origin is the frontend, then CORS allows Authorization on the account endpoints', async () => {
        const res = await fetch(`${base}/auth/logout`, {
          method: 'OPTIONS',
          headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
        });
        expect(res.status).toBe(204);
        expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      });

      it('when the OpenAPI description is read, then it documents the account and Kakao endpoints', async () => {
        const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, unknown> };
        for (const p of [
          '/signup/check-id',
          '/signup/signup',
          '/auth/login',
          '/auth/logout',
          '/auth/refresh',
          '/kakao/getcode',
          '/kakao/callback',
          '/kakao/getToken',
          '/kakao/logout',
        ]) {
          expect(doc.paths).toHaveProperty([p]);
        }
      });
    });
  });
}
