import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyPasswordTransform } from '../test-support/dashboard-traffic.js';
import { startTestService, type TestService } from '../test-support/app.js';

// What /openapi.json promises about every string a request may carry (its `maxLength` and its
// `pattern`) is what the server does: a value at the limit, or matching, is not refused for that
// field; one past the limit, or not matching, is refused with the one 422 shape naming it. The
// fields come from the document, so a field added later is covered (or the test asks for its sample).

type Location = 'body' | 'querystring';
interface StringRule {
  maxLength?: number;
  minLength?: number;
  pattern?: string;
}
interface Field {
  operation: string;
  location: Location;
  name: string;
  rule: StringRule;
}
type Sample = Record<string, string>;

const RUN_ID = '0123456789abcdef01234567';
const PW = legacyPasswordTransform('Moa2026!x');
const signup = {
  username: '홍길동',
  id: 'moa2026',
  pw: PW,
  email: 'moa@example.com',
  phoneNumber: '010-1234-5678',
  gender: 'F',
  birthday: '1990-05-17',
  agreeMarketing: 'false',
};

/** A request each operation accepts: its path parameters, body and query. A new operation or field needs one here. */
const SAMPLES: Record<string, { path?: Record<string, string>; body?: Sample; querystring?: Sample }> = {
  'GET /search': {
    querystring: {
      keyword: '뮤지컬',
      query: '뮤지컬',
      category: '콘서트',
      region: '서울',
      start_date: '2026.11.01',
      end_date: '2026.12.31',
      currPage: '1',
      notSale: 'null',
    },
  },
  'GET /v1/search': {
    querystring: {
      q: '레미제라블',
      category: '뮤지컬',
      region: '서울',
      vendor: '1',
      from: '2026-12-01',
      to: '2026-12-31',
      on_sale: 'true',
      sort: 'relevance',
      page: '1',
      size: '20',
    },
  },
  'GET /v1/suggest': { querystring: { q: '레미', limit: '8' } },
  'GET /this_weekend': { querystring: { per_category: '12' } },
  'GET /exclusive/all': { querystring: { site_id: '1', currPage: '1' } },
  'GET /popular': { querystring: { window: '7d' } },
  'GET /posters/{id}': { path: { id: RUN_ID }, querystring: { v: 'abc' } },
  'POST /signup/check-id': { body: { id: 'free2026' } },
  'POST /signup/signup': { body: signup },
  'POST /auth/login': { body: { id: signup.id, password: PW } },
  'POST /auth/refresh': { body: { refresh_token: 'x' } },
  'GET /kakao/callback': { querystring: { code: 'c', state: 's', error: 'e' } },
  'GET /kakao/getToken': { querystring: { code: 'c' } },
  'POST /like': { body: { id: RUN_ID } },
  'DELETE /del_like': { body: { id: RUN_ID } },
  'GET /admin/api/activity': { querystring: { from: '2026-11-20', to: '2026-11-26', synthetic_views: 'exclude' } },
  'GET /admin/api/searches': { querystring: { from: '2026-11-20', to: '2026-11-26', limit: '20' } },
  'GET /admin/api/views': { querystring: { from: '2026-11-20', to: '2026-11-26', limit: '20', synthetic_views: 'include' } },
  'GET /admin/api/accounts': { querystring: { from: '2026-11-20', to: '2026-11-26' } },
  'GET /admin/api/likes': { querystring: { from: '2026-11-20', to: '2026-11-26', limit: '20' } },
};

interface SchemaNode extends StringRule {
  type?: string;
  properties?: Record<string, SchemaNode>;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
}
interface Operation {
  parameters?: { in: string; name: string; schema?: SchemaNode }[];
  requestBody?: { content?: Record<string, { schema?: SchemaNode }> };
}

/** The string schemas of one property: itself, or the string branches of a union. */
function stringRules(node: SchemaNode): StringRule[] {
  const branches = [...(node.anyOf ?? []), ...(node.oneOf ?? [])];
  const own = node.type === 'string' ? [node] : [];
  return [...own, ...branches.filter((b) => b.type === 'string')].filter((r) => r.maxLength !== undefined || r.pattern !== undefined);
}

function fieldsOf(doc: { paths: Record<string, Record<string, Operation>> }): Field[] {
  const fields: Field[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const operation = `${method.toUpperCase()} ${path}`;
      for (const p of op.parameters ?? []) {
        if (p.in !== 'query' || !p.schema) continue;
        for (const rule of stringRules(p.schema)) fields.push({ operation, location: 'querystring', name: p.name, rule });
      }
      const body = op.requestBody?.content?.['application/json']?.schema;
      for (const [name, node] of Object.entries(body?.properties ?? {})) {
        for (const rule of stringRules(node)) fields.push({ operation, location: 'body', name, rule });
      }
    }
  }
  return fields;
}

const matches = (rule: StringRule, value: string) => rule.pattern === undefined || new RegExp(rule.pattern, 'u').test(value);
const fits = (rule: StringRule, value: string) =>
  [...value].length >= (rule.minLength ?? 0) && (rule.maxLength === undefined || value.length <= rule.maxLength);

describe('the OpenAPI limits of every request string agree with what the server accepts', () => {
  let svc: TestService;
  let token: string;
  let fields: Field[];

  beforeAll(async () => {
    svc = await startTestService({
      TICKETMOA_NOW: '2026-11-27T12:00:00+09:00',
      AUTH_BURST_LIMIT: '1000',
      LOGIN_FAILURE_LIMIT: '1000',
      LOGIN_CLIENT_FAILURE_LIMIT: '1000',
      LOGIN_ID_FAILURE_LIMIT: '1000',
    });
    const created = await svc.app.inject({ method: 'POST', url: '/signup/signup', payload: signup });
    expect(created.statusCode).toBe(200);
    await svc.container.accounts.setAdmin(signup.id, true);
    const login = await svc.app.inject({ method: 'POST', url: '/auth/login', payload: { id: signup.id, password: PW } });
    token = login.json<{ access_token: string }>().access_token;
    fields = fieldsOf((await svc.app.inject({ url: '/openapi.json' })).json());
  });
  afterAll(async () => svc?.close());

  async function send(field: Field, value: string) {
    const sample = SAMPLES[field.operation];
    if (!sample) throw new Error(`${field.operation} has a limited string field (${field.name}): add a request it accepts to SAMPLES`);
    const given = sample[field.location];
    if (!given || !(field.name in given)) throw new Error(`${field.operation}: add a sample value of ${field.location}.${field.name} to SAMPLES`);
    const [method, template] = field.operation.split(' ') as [string, string];
    const url = template.replace(/\{(\w+)\}/g, (_m, name: string) => sample.path?.[name] ?? '');
    const request = { ...given, [field.name]: value };
    const res = await svc.app.inject({
      method: method as 'GET',
      headers: { authorization: token },
      ...(field.location === 'body'
        ? { url, payload: request }
        : { url: `${url}?${new URLSearchParams(Object.entries(request).map(([k, v]): [string, string] => [k, v])).toString()}` }),
    });
    if (res.statusCode !== 422) return { status: res.statusCode, named: false };
    const body = res.json<{ detail: unknown; errors: { field: string; message: string }[] }>();
    expectOneShape(body);
    return { status: 422, named: body.errors.some((e) => e.field === `${field.location}.${field.name}`), body };
  }

  it('when the document is read, then it lists the limited fields of every validating endpoint', () => {
    const names = fields.map((f) => `${f.operation} ${f.location}.${f.name}`);
    for (const expected of [
      'POST /signup/signup body.pw',
      'GET /popular querystring.window',
      'POST /like body.id',
      'GET /admin/api/views querystring.limit',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it('when a string is at its maxLength, then some value of that length is not refused for the field, and one more character is', async () => {
    const problems: string[] = [];
    for (const field of fields.filter((f) => f.rule.maxLength !== undefined)) {
      const max = field.rule.maxLength!;
      const sample = SAMPLES[field.operation]?.[field.location]?.[field.name] ?? 'a';
      const last = [...sample].at(-1) ?? 'a';
      const candidates = [sample.padEnd(max, last), sample.padEnd(max, ' '), 'a'.repeat(max)].filter(
        (v) => v.length === max && matches(field.rule, v),
      );
      if (candidates.length === 0) problems.push(`${field.operation} ${field.name}: no value of length ${max} matches its pattern`);
      let accepted = false;
      for (const value of candidates) {
        if (!(await send(field, value)).named) {
          accepted = true;
          break;
        }
      }
      if (!accepted) problems.push(`${field.operation} ${field.location}.${field.name}: every value of the documented maxLength ${max} is refused`);
      const past = await send(field, `${sample.padEnd(max, last)}${last}`);
      if (!past.named)
        problems.push(`${field.operation} ${field.location}.${field.name}: ${max + 1} characters answered ${past.status}, not 422 naming it`);
    }
    expect(problems).toEqual([]);
  });

  it('when a string has a pattern, then the sample matching it is not refused for the field, and one not matching is', async () => {
    const problems: string[] = [];
    for (const field of fields.filter((f) => f.rule.pattern !== undefined)) {
      const sample = SAMPLES[field.operation]?.[field.location]?.[field.name] ?? '';
      if (!matches(field.rule, sample)) problems.push(`${field.operation} ${field.name}: the sample ${sample} does not match ${field.rule.pattern}`);
      else if ((await send(field, sample)).named) problems.push(`${field.operation} ${field.location}.${field.name}: a matching value is refused`);
      const bad = ['!', `${sample.slice(0, -1)}!`, `${sample}!`, 'Z'].find((v) => !matches(field.rule, v) && fits(field.rule, v));
      if (bad === undefined) {
        problems.push(`${field.operation} ${field.name}: no value within its length limits fails ${field.rule.pattern}`);
        continue;
      }
      const refused = await send(field, bad);
      if (!refused.named)
        problems.push(`${field.operation} ${field.location}.${field.name}: ${JSON.stringify(bad)} answered ${refused.status}, not 422 naming it`);
    }
    expect(problems).toEqual([]);
  });

  it('when a service refuses an input, then its 422 has the shape of the schema errors: detail and errors [{field, message}]', async () => {
    const refusals: [string, { method?: 'GET' | 'POST'; url: string; payload?: unknown }, string][] = [
      ['GET /popular?window=2d', { url: '/popular?window=2d' }, 'querystring.window'],
      ['GET /search (reversed dates)', { url: '/search?start_date=2026.12.31&end_date=2026.11.01' }, 'querystring.start_date'],
      ['GET /search (no such day)', { url: '/search?start_date=2026.02.30' }, 'querystring.start_date'],
      ['GET /this_weekend', { url: '/this_weekend?per_category=0' }, 'querystring.per_category'],
      ['POST /signup/check-id', { method: 'POST', url: '/signup/check-id', payload: { id: '1234' } }, 'body.id'],
      ['POST /signup/signup', { method: 'POST', url: '/signup/signup', payload: { ...signup, id: 'other2026', username: '   ' } }, 'body.username'],
      ['GET /admin/api/activity', { url: '/admin/api/activity?from=2026-11-26&to=2026-11-20' }, 'querystring.from'],
      ['GET /admin/api/views', { url: '/admin/api/views?from=2026-13-01' }, 'querystring.from'],
    ];
    for (const [name, request, field] of refusals) {
      const res = await svc.app.inject({
        method: request.method ?? 'GET',
        url: request.url,
        payload: request.payload as object,
        headers: { authorization: token },
      });
      expect(res.statusCode, name).toBe(422);
      const body = res.json<{ detail: string; errors: { field: string; message: string }[] }>();
      expectOneShape(body);
      expect(
        body.errors.map((e) => e.field),
        name,
      ).toContain(field);
    }
  });
});

function expectOneShape(body: { detail: unknown; errors?: unknown }): void {
  expect(Object.keys(body).sort()).toEqual(['detail', 'errors']);
  expect(typeof body.detail).toBe('string');
  expect(Array.isArray(body.errors) && body.errors.length > 0).toBe(true);
  for (const e of body.errors as Record<string, unknown>[]) {
    expect(Object.keys(e).sort()).toEqual(['field', 'message']);
    expect(typeof e.field).toBe('string');
    expect(typeof e.message).toBe('string');
  }
  const [first] = body.errors as { field: string; message: string }[];
  expect(body.detail).toBe(`${first!.field} ${first!.message}`);
}
