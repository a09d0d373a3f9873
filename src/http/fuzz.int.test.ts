import { connect } from 'node:net';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, signup } from '../test-support/accounts.js';
import { startTestService, type TestService } from '../test-support/app.js';
import { HOST_STATE_COOKIE, STATE_COOKIE } from '../features/kakao/index.js';
import { type FakeKakao, GOOD_CODE, startFakeKakao } from '../test-support/fake-kakao.js';

/**
 * Every route of /openapi.json, fed generated requests: wrong types, missing and extra fields,
 * huge and deeply nested values, invalid UTF-8 and JSON, odd content types, methods and tokens.
 * Whatever arrives, the answer is a success or a 4xx with a JSON `detail`, never a 5xx, and the
 * service is still up afterwards. fast-check shrinks a failure to the smallest request that fails.
 */

interface Operation {
  method: string;
  path: string;
  params: { in: 'path' | 'query'; name: string }[];
  bodyFields: string[];
}

interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string }[];
        requestBody?: { content: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
      }
    >
  >;
}

/** Real calendar days far outside anything the service holds, in both date spellings it reads. */
const ABSURD_DAYS = [
  '9999-12-31',
  '0001-01-01',
  '0100-01-01',
  '1899-12-31',
  '1999-12-31',
  '2999-01-01',
  '9999.12.31',
  '0001.01.01',
  '0100.01.01',
  '9999-13-01',
  '10000-01-01',
];

const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

/** Characters that break naive code: quotes, wildcards, NUL, surrogates' neighbours, Hangul, RTL. */
const nasty = fc.constantFrom(
  '',
  ' ',
  '%',
  '_',
  '*',
  "'",
  '"',
  '\\',
  '\u0000',
  '\u202e',
  '\ufeff',
  '피아노',
  '😀',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '%00',
  '%FF',
  '%C3%28',
  '%E0%80%AF',
  '%ED%A0%80',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '9007199254740993',
  'null',
  'true',
  '[]',
  '{}',
  '2026-02-30',
  '2026-11-27',
  '2026.11.27',
  // absurd but well-formed days: no date arithmetic on them may end in an invalid Date
  ...ABSURD_DAYS,
  '0000000000000000000000000',
  '65f1a2b3c4d5e6f708192a3b',
  'FFFFFFFFFFFFFFFFFFFFFFFF',
);

/** A value as it appears in a URL: already percent-encoded where needed (or deliberately not). */
const urlValue = fc.oneof(
  { weight: 3, arbitrary: nasty },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }).map(encodeURIComponent) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  // raw bytes, including invalid UTF-8, percent-encoded
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 12 }).map((b) => [...b].map((x) => `%${x.toString(16).padStart(2, '0')}`).join('')) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 5000 }).map((n) => 'a'.repeat(n)) },
);

/** A JSON value of any type, sometimes huge or deeply nested. */
const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: nasty },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 70_000 }).map((n) => 'ㄱ'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 10, max: 3000 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown) },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, 0, -1, 1.5, 1e308, [], {}) },
);

/** Raw request bodies: JSON objects built on the route's fields, and things that are not JSON. */
function bodyFor(op: Operation): fc.Arbitrary<string | Buffer | undefined> {
  const field = op.bodyFields.length > 0 ? fc.oneof(fc.constantFrom(...op.bodyFields), fc.string({ maxLength: 10 })) : fc.string({ maxLength: 10 });
  const object = fc.dictionary(field, jsonValue, { maxKeys: op.bodyFields.length + 3 }).map((o) => JSON.stringify(o));
  const deep = fc.integer({ min: 100, max: 20_000 }).map((depth) => `{"id":${'['.repeat(depth)}${']'.repeat(depth)}}`);
  return fc.oneof(
    { weight: 6, arbitrary: object },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: jsonValue.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"id":', '{"id":"a"', 'nul', '[1,]', '{"a":1}{"b":2}', '\ufeff{}', '{"__proto__":{"x":1}}') },
    // invalid UTF-8 inside a JSON string, and plain binary
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.concat([Buffer.from('{"id":"'), Buffer.from(b), Buffer.from('"}')])) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  'APPLICATION/JSON',
  '',
  undefined,
);

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'] as const;

interface Tokens {
  valid: string;
  refresh: string;
  /** An admin's access token: the admin API validates its query only for admins. */
  admin: string;
}

function authorization(tokens: Tokens): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constant(`Bearer ${tokens.valid}`) },
    { weight: 1, arbitrary: fc.constant(tokens.valid) },
    { weight: 2, arbitrary: fc.constant(tokens.admin) },
    { weight: 1, arbitrary: fc.constant(`Bearer ${tokens.refresh}`) },
    // an unsigned token claiming the same user, a tampered one, and garbage
    { weight: 1, arbitrary: fc.constant(`Bearer ${unsigned(tokens.valid)}`) },
    { weight: 1, arbitrary: fc.constant(`Bearer ${tokens.valid.slice(0, -3)}abc`) },
    { weight: 1, arbitrary: fc.string({ maxLength: 80 }).map((s) => `Bearer ${s.replace(/[^\x20-\x7e]/g, '')}`) },
    { weight: 1, arbitrary: fc.constantFrom('Bearer', 'Basic dXNlcjpwYXNz', 'bearer  ', `Bearer ${'x'.repeat(8000)}`) },
  );
}

/** The same claims with `alg: none` and no signature. */
function unsigned(jwt: string): string {
  const [, payload] = jwt.split('.');
  return `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
}

/** An inject request whose URL is a plain string (for messages). */
type FuzzRequest = InjectOptions & { method: string; url: string };

function requestFor(op: Operation, tokens: Tokens): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryNames = op.params.filter((p) => p.in === 'query').map((p) => p.name);
  const queryName =
    queryNames.length > 0
      ? fc.oneof(fc.constantFrom(...queryNames), fc.string({ maxLength: 8 }).map(encodeURIComponent))
      : fc.string({ maxLength: 8 }).map(encodeURIComponent);
  return fc
    .record({
      method: fc.oneof({ weight: 8, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
      path: fc.tuple(...pathParams.map(() => urlValue)),
      // repeated names make arrays; names without values and values without names too
      query: fc.array(fc.tuple(queryName, urlValue, fc.constantFrom('=', '', '=='))),
      body: op.method === 'POST' ? bodyFor(op) : fc.option(bodyFor(op), { freq: 5 }),
      contentType,
      authorization: authorization(tokens),
    })
    .map(({ method, path, query, body, contentType: type, authorization: auth }) => {
      let url = op.path;
      pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, path[i] === '' ? 'x' : path[i]!)));
      if (query.length > 0) url += `?${query.map(([k, v, eq]) => `${k}${eq}${eq === '' ? '' : v}`).join('&')}`;
      const headers: Record<string, string> = {};
      if (type !== undefined) headers['content-type'] = type;
      if (auth !== undefined) headers.authorization = auth;
      const request: FuzzRequest = { method, url, headers };
      if (body !== undefined && body !== null && method !== 'GET' && method !== 'HEAD') request.payload = body;
      return request;
    });
}

function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const schema = op.requestBody?.content['application/json']?.schema;
      ops.push({
        method: method.toUpperCase(),
        path,
        params: (op.parameters ?? []).filter((p): p is Operation['params'][number] => p.in === 'path' || p.in === 'query'),
        bodyFields: Object.keys(schema?.properties ?? {}),
      });
    }
  }
  return ops;
}

describe('fuzzing every route of /openapi.json', () => {
  let svc: TestService;
  let kakao: FakeKakao;
  let ops: Operation[];
  let tokens: Tokens;
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    kakao = await startFakeKakao();
    svc = await startTestService({
      TICKETMOA_DEMO: '1',
      TICKETMOA_SINK: 'off',
      POPULAR_INTERVAL: 'off',
      RECOMMEND_INTERVAL: 'off',
      KAKAO_CLIENT_ID: 'test-client',
      KAKAO_CLIENT_SECRET: 'test-secret',
      KAKAO_REDIRECT_URI: 'http://api.example/kakao/callback',
      KAKAO_AUTH_BASE_URL: kakao.baseUrl,
      KAKAO_API_BASE_URL: kakao.baseUrl,
      KAKAO_TIMEOUT_MS: '300',
      // generated callbacks must reach the state check, not stop at the per-client limit
      KAKAO_CALLBACK_LIMIT: '100000',
    });
    // A started service, as serve marks it once it listens: /readyz answers 503 only while starting or stopping.
    svc.container.setStartup('done');
    await signup(svc);
    const res = await svc.app.inject({ method: 'POST', url: '/auth/login', payload: { id: 'moa2026', password: PASSWORD } });
    const pair = res.json<{ access_token: string; refresh_token: string }>();
    await signup(svc, { id: 'admin01' });
    await svc.container.accounts.setAdmin('admin01', true);
    const admin = await svc.app.inject({ method: 'POST', url: '/auth/login', payload: { id: 'admin01', password: PASSWORD } });
    tokens = { valid: pair.access_token, refresh: pair.refresh_token, admin: admin.json<{ access_token: string }>().access_token };
    ops = operationsOf((await svc.app.inject('/openapi.json')).json<OpenApiDoc>());
  }, 60_000);
  afterAll(async () => {
    await svc?.close();
    await kakao?.close();
  });

  it('knows every route it fuzzes', () => {
    const routes = ops.map((o) => `${o.method} ${o.path}`);
    // a route that leaves the description would silently leave the fuzz suite: these must stay
    for (const r of ['GET /search', 'GET /detail/{id}', 'POST /signup/signup', 'POST /auth/login', 'POST /auth/refresh', 'GET /kakao/getToken']) {
      expect(routes).toContain(r);
    }
    for (const r of ['POST /like', 'DELETE /del_like', 'GET /get_like']) expect(routes).toContain(r);
    expect(routes.length).toBeGreaterThanOrEqual(18);
  });

  it('answers every generated request with a success or a 4xx JSON error, never a 5xx', async () => {
    for (const op of ops) {
      await fc.assert(
        fc.asyncProperty(requestFor(op, tokens), async (request) => {
          const res = await svc.app.inject(request);
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          const where = `${request.method} ${request.url} → ${res.statusCode} ${res.body.slice(0, 200)}`;
          expect(res.statusCode, where).toBeLessThan(500);
          if (res.statusCode >= 400 && request.method !== 'HEAD') {
            expect(res.headers['content-type'], where).toMatch(/^application\/json/);
            expect(typeof res.json<{ detail?: unknown }>().detail, where).not.toBe('undefined');
          }
        }),
        { numRuns: RUNS_PER_ROUTE, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
    }
    // the generators reached the handlers, not only the validators
    expect(statuses.get(200) ?? 0).toBeGreaterThan(ops.length * 5);
    expect(statuses.get(422) ?? 0).toBeGreaterThan(0);
    expect((await svc.app.inject('/healthz')).statusCode).toBe(200);
  }, 300_000);

  it('refuses every generated Kakao callback state and binding cookie (made up, tampered, swapped) with 400 JSON and never calls Kakao', async () => {
    const started = await svc.app.inject({ method: 'GET', url: '/kakao/getcode' });
    const genuine = {
      state: new URL(started.headers.location as string).searchParams.get('state') ?? '',
      binding: /=([^;]*)/.exec(String(started.headers['set-cookie']))?.[1] ?? '',
    };
    const cookieText = fc.string({ unit: fc.constantFrom(...'aZ09-_.=+/%'.split('')), maxLength: 60 });
    // one character of the genuine state changed, or the genuine state cut short
    const tampered = fc
      .tuple(fc.nat({ max: genuine.state.length - 1 }), fc.constantFrom(...'aZ09-_.'.split('')))
      .map(([i, c]) => genuine.state.slice(0, i) + c + genuine.state.slice(i + 1))
      .filter((t) => t !== genuine.state);
    const state = fc.oneof(
      nasty,
      cookieText,
      tampered,
      fc.constant(genuine.state.slice(0, -1)),
      fc.constant(genuine.state.replace(/^[0-9a-z]+/, '0')),
    );
    const cookie = fc.oneof(
      fc.constant(undefined),
      fc.record({
        name: fc.constantFrom(STATE_COOKIE, HOST_STATE_COOKIE, 'ticketmoa_kakao_state ', 'other'),
        value: fc.oneof(cookieText, fc.constant(genuine.binding)),
      }),
    );
    const before = kakao.requests.length;
    await fc.assert(
      fc.asyncProperty(state, cookie, async (s, c) => {
        const res = await svc.app.inject({
          method: 'GET',
          url: `/kakao/callback?code=${GOOD_CODE}&state=${encodeURIComponent(s)}`,
          headers: c === undefined ? {} : { cookie: `${c.name}=${c.value}` },
        });
        const where = `state ${JSON.stringify(s)} cookie ${JSON.stringify(c)} → ${res.statusCode} ${res.body.slice(0, 200)}`;
        expect(res.statusCode, where).toBe(400);
        expect(res.json<{ detail?: unknown }>().detail, where).toEqual(expect.any(String));
        expect(kakao.requests.length, where).toBe(before);
      }),
      { numRuns: RUNS_PER_ROUTE * 2, ...(SEED === undefined ? {} : { seed: SEED }) },
    );
  }, 120_000);

  it('answers absurd days in every date-taking query parameter with a success or a 422 naming the field, never a 5xx', async () => {
    const dateParams = ops.flatMap((op) =>
      op.params.filter((p) => p.in === 'query' && /date|^from$|^to$/.test(p.name)).map((p) => ({ op, name: p.name })),
    );
    // the search's start_date/end_date and the four admin figures' from/to, at least
    expect(dateParams.length).toBeGreaterThanOrEqual(10);
    // a fresh admin session: the fuzzing above may have logged the first one out
    const login = await svc.app.inject({ method: 'POST', url: '/auth/login', payload: { id: 'admin01', password: PASSWORD } });
    const admin = login.json<{ access_token: string }>().access_token;
    for (const { op, name } of dateParams) {
      for (const day of ABSURD_DAYS) {
        const url = `${op.path}?${name}=${day}`;
        const res = await svc.app.inject({ method: op.method, url, headers: { authorization: admin } });
        expect(res.statusCode, `${url} → ${res.statusCode} ${res.body.slice(0, 200)}`).toBeLessThan(500);
        if (res.statusCode !== 200) {
          expect(res.statusCode, url).toBe(422);
          const body = res.json<{ detail?: unknown; errors?: { field: string }[] }>();
          expect(typeof body.detail, url).toBe('string');
          if (op.path.startsWith('/admin/'))
            expect(
              body.errors?.map((e) => e.field),
              url,
            ).toEqual([`querystring.${name}`]);
        }
      }
    }
  }, 120_000);

  it('answers malformed HTTP on a real socket with a JSON 4xx and stays up', async () => {
    const address = await svc.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const raw = (bytes: Buffer | string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.end(bytes));
        let answer = '';
        socket.setEncoding('latin1');
        socket.on('data', (d: string) => (answer += d));
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
      });
    const requests = [
      'GET /search?keyword=\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      Buffer.concat([Buffer.from('GET /detail/'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]),
      'POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      'POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 7\r\nConnection: close\r\n\r\n{}',
      `GET /banner HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
      'GARBAGE\r\n\r\n',
      'GET /banner HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n',
    ];
    for (const request of requests) {
      const answer = await raw(request);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1]);
      const label = JSON.stringify(request.toString().slice(0, 60));
      expect(status, `${label} → ${answer.slice(0, 120)}`).toBeGreaterThanOrEqual(200);
      expect(status, `${label} → ${answer.slice(0, 120)}`).toBeLessThan(500);
      if (status >= 400) expect(answer, label).toMatch(/content-type: application\/json/i);
    }
    const res = await fetch(`${address}/healthz`);
    expect(res.status).toBe(200);
  }, 60_000);
});
