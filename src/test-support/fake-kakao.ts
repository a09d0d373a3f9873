import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';

export type FakeMode = 'ok' | 'down' | 'hang' | 'garbage';

export interface FakeKakaoRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  form: Record<string, string>;
}

/** A local HTTP server that plays Kakao's authorize, token, user-info and logout endpoints. */
export interface FakeKakao {
  baseUrl: string;
  requests: FakeKakaoRequest[];
  modes: { token: FakeMode; profile: FakeMode; logout: FakeMode };
  user: { id: number; nickname: string; email: string; image: string };
  /**
   * Back to a fresh fake for the next test on a shared service: everything behaves, no requests
   * seen, tokens numbered from 1 again, and a Kakao user id the service has not met yet.
   */
  reset(): void;
  close(): Promise<void>;
}

export const GOOD_CODE = 'good-code';

/**
 * The browser's side of a Kakao login up to the frontend's `/callback` page: `/kakao/getcode`
 * gives the state for Kakao and sets the cookie that binds it to this browser; Kakao redirects to
 * our callback with `code` and that state; the one-time ticket the frontend then receives is what
 * it passes to `/kakao/getToken`.
 */
export async function kakaoTicket(
  inject: (opts: InjectOptions) => Promise<LightMyRequestResponse>,
  code = GOOD_CODE,
  headers: Record<string, string> = {},
): Promise<string> {
  const started = await inject({ url: '/kakao/getcode', headers });
  const state = started.statusCode === 302 ? new URL(String(started.headers.location)).searchParams.get('state') : null;
  const binding = /^[^;]+/.exec(String(started.headers['set-cookie']))?.[0];
  if (!state || !binding) throw new Error(`/kakao/getcode gave no state: ${started.statusCode} ${started.body.slice(0, 200)}`);
  const res = await inject({
    url: `/kakao/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`,
    headers: { ...headers, cookie: binding },
  });
  const ticket = res.statusCode === 302 ? new URL(String(res.headers.location)).searchParams.get('code') : null;
  if (!ticket) throw new Error(`the Kakao callback gave no ticket: ${res.statusCode} ${String(res.headers.location)}`);
  return ticket;
}

export async function startFakeKakao(clientId = 'test-client'): Promise<FakeKakao> {
  let issued = 0;
  let users = 0;
  const hanging = new Set<ServerResponse>();
  const freshUser = () => ({
    id: 3141592653 + users++,
    nickname: '카카오친구',
    email: 'friend@kakao.example',
    image: 'https://k.example/p.jpg',
  });
  const fake: Omit<FakeKakao, 'baseUrl' | 'close'> = {
    requests: [],
    modes: { token: 'ok', profile: 'ok', logout: 'ok' },
    user: freshUser(),
    reset() {
      for (const res of hanging) res.destroy();
      hanging.clear();
      issued = 0;
      fake.requests.splice(0);
      fake.modes = { token: 'ok', profile: 'ok', logout: 'ok' };
      fake.user = freshUser();
    },
  };

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
    res.end(JSON.stringify(body));
  };
  const misbehave = (res: ServerResponse, mode: FakeMode): boolean => {
    if (mode === 'down') json(res, 500, { msg: 'internal error' });
    else if (mode === 'garbage') res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
    else if (mode === 'hang') hanging.add(res);
    return mode !== 'ok';
  };
  const bearer = (req: IncomingMessage) => /^Bearer (kakao-at-\d+)$/.exec(req.headers.authorization ?? '')?.[1];

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const form = Object.fromEntries(new URLSearchParams(raw));
      fake.requests.push({ method: req.method ?? '', path: url.pathname, authorization: req.headers.authorization, form });
      if (req.method === 'POST' && url.pathname === '/oauth/token') {
        if (misbehave(res, fake.modes.token)) return;
        if (form.grant_type !== 'authorization_code' || form.client_id !== clientId || !form.code?.startsWith(GOOD_CODE)) {
          return json(res, 400, { error: 'invalid_grant', error_description: 'authorization code not found', error_code: 'KOE320' });
        }
        issued += 1;
        return json(res, 200, { token_type: 'bearer', access_token: `kakao-at-${issued}`, refresh_token: `kakao-rt-${issued}`, expires_in: 21599 });
      }
      if (req.method === 'GET' && url.pathname === '/v2/user/me') {
        if (misbehave(res, fake.modes.profile)) return;
        if (!bearer(req)) return json(res, 401, { msg: 'this access token does not exist', code: -401 });
        const u = fake.user;
        return json(res, 200, {
          id: u.id,
          properties: { nickname: u.nickname, profile_image: u.image },
          kakao_account: { email: u.email, profile: { nickname: u.nickname, profile_image_url: u.image } },
        });
      }
      if (req.method === 'POST' && url.pathname === '/v1/user/logout') {
        if (misbehave(res, fake.modes.logout)) return;
        if (!bearer(req)) return json(res, 401, { msg: 'this access token does not exist', code: -401 });
        return json(res, 200, { id: fake.user.id });
      }
      json(res, 404, { msg: 'not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
