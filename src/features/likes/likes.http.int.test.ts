import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Env } from '../../config/config.js';
import { signupBody } from '../../test-support/accounts.js';
import { startTestService, type TestService } from '../../test-support/app.js';
import { openDuckDb, sqlString } from '../../test-support/duckdb.js';
import { testBackends } from '../../test-support/backends.js';
import { legacyPasswordTransform } from '../../test-support/dashboard-traffic.js';
import { recordingEvents } from '../../test-support/recording-events.js';
import { makeRun } from '../../test-support/runs.js';

const NOW = '2026-11-27T10:00:00+09:00';
const FRONTEND = 'http://localhost:3000';
const RUN_A = makeRun({ _id: 'bbbbbbbbbbbbbbbbbbbb0001', title: '레미제라블', category: '뮤지컬', open_date: '2026.10.01 14:00' });
const RUN_B = makeRun({
  _id: 'bbbbbbbbbbbbbbbbbbbb0002',
  title: '햄릿',
  category: '연극',
  location: null,
  hosts: [
    { site_id: 1, ticket_url: 'https://tickets.example.com/b1' },
    { site_id: 2, ticket_url: 'https://tickets.example.com/b2' },
  ],
});
const RUN_C = makeRun({ _id: 'bbbbbbbbbbbbbbbbbbbb0003', title: '지난 공연', start_date: '2026.01.01', end_date: '2026.02.01', poster_url: null });
const GONE = 'bbbbbbbbbbbbbbbbbbbbffff';
const PASSWORD = legacyPasswordTransform('Moa2026!x');
// The bound is 500 ms (SQLite's poll) or a notification's delivery (PostgreSQL); the timeout is
// looser only because the test machines are shared and slow at times.
const WITHIN = { timeout: 5000, interval: 25 };

/** A sign-up and log-in through the API: the raw access token and the user id the service keeps. */
async function account(svc: TestService, id: string): Promise<{ token: string; userId: string; eventUserId: string }> {
  await svc.app.inject({ method: 'POST', url: '/signup/signup', payload: signupBody({ id, pw: PASSWORD }) });
  const res = await svc.app.inject({ method: 'POST', url: '/auth/login', payload: { id, password: PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const token = (res.json() as { access_token: string }).access_token;
  const user = await svc.container.accounts.authenticate(token);
  return { token, userId: user!.userId, eventUserId: user!.eventUserId };
}

async function withCatalogue(svc: TestService): Promise<void> {
  await svc.container.stores.performances.upsertMany([RUN_A, RUN_B, RUN_C]);
  await svc.container.catalog.refresh();
}

/** The environment of one database two services share (a SQLite file, or a PostgreSQL schema). */
async function sharedDatabase(env: Env): Promise<{ env: Env; close(): void }> {
  if (env.DATABASE_URL !== undefined) return { env, close: () => {} };
  const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-likes-db-'));
  return { env: { DATABASE_URL: `sqlite:${path.join(dir, 'shared.db')}` }, close: () => rmSync(dir, { recursive: true, force: true }) };
}

for (const backend of await testBackends()) {
  describe.skipIf(backend.env === undefined)(`likes (§2b) over real HTTP on ${backend.name}`, () => {
    const events = recordingEvents();
    let svc: TestService;
    let base: string;
    let moa: { token: string; userId: string; eventUserId: string };
    let other: { token: string; userId: string };

    beforeAll(async () => {
      svc = await startTestService({ ...(await backend.env!()), TICKETMOA_NOW: NOW, CORS_ORIGINS: FRONTEND }, { events });
      await withCatalogue(svc);
      moa = await account(svc, 'likes01');
      other = await account(svc, 'likes02');
      await svc.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(svc.app.server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await svc?.close();
    });

    const call = (method: string, url: string, opts: { token?: string; body?: unknown; raw?: string; type?: string } = {}) => {
      const headers: Record<string, string> = {};
      if (opts.token !== undefined) headers.authorization = opts.token;
      const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
      if (body !== undefined || opts.type) headers['content-type'] = opts.type ?? 'application/json';
      return fetch(`${base}${url}`, { method, headers, body });
    };
    const like = (token: string, id: unknown) => call('POST', '/like', { token, body: { id } });
    const unlike = (token: string, id: unknown) => call('DELETE', '/del_like', { token, body: { id } });
    const liked = async (token: string) => {
      const res = await call('GET', '/get_like', { token });
      expect(res.status).toBe(200);
      return (await res.json()) as { id: string }[];
    };

    it('when there is no valid token, then all three answer 401 JSON, whatever the body', async () => {
      for (const token of [undefined, '', 'not-a-token', `Bearer ${moa.token}x`]) {
        for (const res of [
          await call('POST', '/like', { token, body: { id: RUN_A._id } }),
          await call('POST', '/like', { token, raw: '{not json' }),
          await call('DELETE', '/del_like', { token, body: { id: RUN_A._id } }),
          await call('GET', '/get_like', { token }),
        ]) {
          expect(res.status).toBe(401);
          expect(res.headers.get('content-type')).toMatch(/^application\/json/);
          expect(await res.json()).toEqual({ detail: expect.any(String) });
        }
      }
      expect(events.of('Like_log')).toEqual([]);
    });

    it('when a run is liked, then the answer is its list item with is_liked, and liking again answers the same', async () => {
      events.clear();
      const first = await like(moa.token, RUN_A._id);
      expect(first.status).toBe(200);
      const item = {
        id: RUN_A._id,
        title: '레미제라블',
        poster_url: RUN_A.poster_url,
        location: '예술의전당',
        start_date: '2026.12.01',
        end_date: '2026.12.31',
        category: '뮤지컬',
        onSale: true,
        isExclusive: true,
        is_liked: true,
      };
      expect(await first.json()).toEqual(item);
      const again = await call('POST', '/like', { token: `Bearer ${moa.token}`, body: { id: RUN_A._id } });
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual(item);
      expect((await liked(moa.token)).map((r) => r.id)).toEqual([RUN_A._id]);

      expect(events.of('Like_log').map((e) => ({ action: e.action, user: e.actor.user_id, ...e.fields }))).toEqual([
        { action: 'like', user: moa.eventUserId, ticket_id: RUN_A._id, title: '레미제라블', category: '뮤지컬', status: 'changed' },
        { action: 'like', user: moa.eventUserId, ticket_id: RUN_A._id, title: '레미제라블', category: '뮤지컬', status: 'unchanged' },
      ]);
    });

    it('when runs are liked, then /get_like lists them oldest like first with open_date, and only the caller’s', async () => {
      await like(moa.token, RUN_C._id);
      await like(moa.token, RUN_B._id);
      const list = await liked(moa.token);
      expect(list).toEqual([
        {
          id: RUN_A._id,
          title: '레미제라블',
          poster_url: RUN_A.poster_url,
          location: '예술의전당',
          open_date: '2026.10.01 14:00',
          end_date: '2026.12.31',
        },
        { id: RUN_C._id, title: '지난 공연', poster_url: null, location: '예술의전당', open_date: null, end_date: '2026.02.01' },
        { id: RUN_B._id, title: '햄릿', poster_url: RUN_B.poster_url, location: null, open_date: null, end_date: '2026.12.31' },
      ]);
      expect(await liked(other.token)).toEqual([]);
      // an ended run and one sold by two vendors: the list item's flags say so
      expect(await (await like(other.token, RUN_C._id)).json()).toMatchObject({ onSale: false, isExclusive: true, is_liked: true });
      expect(await (await like(other.token, RUN_B._id)).json()).toMatchObject({ onSale: true, isExclusive: false, location: null });
      expect((await liked(other.token)).map((r) => r.id)).toEqual([RUN_C._id, RUN_B._id]);
    });

    it('when a like is removed with a JSON body on DELETE, then the answer is the id as a JSON string, also when it was not liked', async () => {
      events.clear();
      const res = await unlike(moa.token, RUN_C._id);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.text()).toBe(`"${RUN_C._id}"`);
      expect((await liked(moa.token)).map((r) => r.id)).toEqual([RUN_A._id, RUN_B._id]);

      const again = await unlike(moa.token, RUN_C._id);
      expect(again.status).toBe(200);
      expect(await again.json()).toBe(RUN_C._id);
      expect(events.of('Like_log').map((e) => ({ action: e.action, user: e.actor.user_id, ...e.fields }))).toEqual([
        { action: 'unlike', user: moa.eventUserId, ticket_id: RUN_C._id, title: '지난 공연', category: '콘서트', status: 'changed' },
        { action: 'unlike', user: moa.eventUserId, ticket_id: RUN_C._id, title: '지난 공연', category: '콘서트', status: 'unchanged' },
      ]);
      // the other account's like of the same run is untouched
      expect((await liked(other.token)).map((r) => r.id)).toEqual([RUN_C._id, RUN_B._id]);
      // liked again: now the newest
      await like(moa.token, RUN_C._id);
      expect((await liked(moa.token)).map((r) => r.id)).toEqual([RUN_A._id, RUN_B._id, RUN_C._id]);
    });

    it('when the id is well formed but not in the catalogue, then like and unlike answer 404 JSON', async () => {
      events.clear();
      for (const res of [await like(moa.token, GONE), await unlike(moa.token, GONE)]) {
        expect(res.status).toBe(404);
        expect(await res.json()).toEqual({ detail: expect.any(String) });
      }
      expect(events.of('Like_log')).toEqual([]);
    });

    it('when the body is malformed, missing or of the wrong type, then the answer is 422 with the usual detail (never a 5xx)', async () => {
      const bad: { raw?: string; body?: unknown; type?: string }[] = [
        { body: { id: RUN_A._id.toUpperCase() } },
        { body: { id: RUN_A._id.slice(1) } },
        { body: { id: `${RUN_A._id}0` } },
        { body: { id: 12345 } },
        { body: { id: null } },
        { body: { id: [RUN_A._id] } },
        { body: {} },
        { body: [RUN_A._id] },
        { body: RUN_A._id },
        { raw: '' },
        { type: 'application/json' },
      ];
      for (const b of bad) {
        for (const method of ['POST', 'DELETE']) {
          const res = await call(method, method === 'POST' ? '/like' : '/del_like', { token: moa.token, ...b });
          expect([res.status, method, b]).toEqual([422, method, b]);
          expect(await res.json()).toMatchObject({ detail: expect.any(String) });
        }
      }
      for (const method of ['POST', 'DELETE']) {
        const url = method === 'POST' ? '/like' : '/del_like';
        const broken = await call(method, url, { token: moa.token, raw: '{"id": ' });
        expect(broken.status).toBe(400);
        const huge = await call(method, url, { token: moa.token, body: { id: 'a'.repeat(100_000) } });
        expect(huge.status).toBe(413);
        // a text body is read as a string, which is not the object the schema asks for
        const text = await call(method, url, { token: moa.token, raw: RUN_A._id, type: 'text/plain' });
        expect(text.status).toBe(422);
        for (const res of [broken, huge, text]) expect(await res.json()).toMatchObject({ detail: expect.any(String) });
      }
      expect((await liked(moa.token)).map((r) => r.id)).toEqual([RUN_A._id, RUN_B._id, RUN_C._id]);
    });

    it('when a liked run has left the catalogue, then /get_like leaves it out and the like can still be removed', async () => {
      await svc.container.stores.likes.like(moa.userId, GONE, new Date(NOW));
      expect((await liked(moa.token)).map((r) => r.id)).toEqual([RUN_A._id, RUN_B._id, RUN_C._id]);
      expect((await svc.container.likes.likedIds(moa.userId)).has(GONE)).toBe(true);
      const res = await unlike(moa.token, GONE);
      expect(res.status).toBe(200);
      expect(await res.json()).toBe(GONE);
      expect((await svc.container.stores.likes.list(moa.userId)).map((l) => l.runId)).not.toContain(GONE);
    });

    it('when the frontend preflights DELETE /del_like, then CORS allows the method and both headers', async () => {
      const res = await fetch(`${base}/del_like`, {
        method: 'OPTIONS',
        headers: { origin: FRONTEND, 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(FRONTEND);
      expect(res.headers.get('access-control-allow-methods')).toContain('DELETE');
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
      const real = await fetch(`${base}/del_like`, {
        method: 'DELETE',
        headers: { origin: FRONTEND, authorization: moa.token, 'content-type': 'application/json' },
        body: JSON.stringify({ id: RUN_B._id }),
      });
      expect(real.status).toBe(200);
      expect(real.headers.get('access-control-allow-origin')).toBe(FRONTEND);
      await like(moa.token, RUN_B._id);
    });

    it('when the caller likes or unlikes, then its liked-id set changes at once, as a new set', async () => {
      const before = await svc.container.likes.likedIds(moa.userId);
      expect(await svc.container.likes.likedIds(moa.userId)).toBe(before);
      await unlike(moa.token, RUN_A._id);
      const after = await svc.container.likes.likedIds(moa.userId);
      expect(after.has(RUN_A._id)).toBe(false);
      expect(before.has(RUN_A._id)).toBe(true);
      await like(moa.token, RUN_A._id);
      expect((await svc.container.likes.likedIds(moa.userId)).has(RUN_A._id)).toBe(true);
      expect(after.has(RUN_A._id)).toBe(false);
    });
  });

  describe.skipIf(backend.env === undefined)(`likes across instances and restarts on ${backend.name}`, () => {
    let db: Awaited<ReturnType<typeof sharedDatabase>>;
    beforeAll(async () => {
      db = await sharedDatabase(await backend.env!());
    });
    afterAll(() => db?.close());

    it('when another instance likes and unlikes, then this one’s liked-id set follows within the staleness bound', async () => {
      const env = { ...db.env, TICKETMOA_NOW: NOW };
      const a = await startTestService(env);
      const b = await startTestService(env);
      try {
        await withCatalogue(a);
        await b.container.catalog.refresh();
        const moa = await account(a, 'across01');
        // b starts watching with its first set, and caches from then on
        expect([...(await b.container.likes.likedIds(moa.userId))]).toEqual([]);
        await vi.waitFor(async () => expect(await b.container.likes.likedIds(moa.userId)).toBe(await b.container.likes.likedIds(moa.userId)), WITHIN);
        const cached = await b.container.likes.likedIds(moa.userId);

        await a.app.inject({ method: 'POST', url: '/like', headers: { authorization: moa.token }, payload: { id: RUN_A._id } });
        expect([...(await a.container.likes.likedIds(moa.userId))]).toEqual([RUN_A._id]);
        await vi.waitFor(async () => expect([...(await b.container.likes.likedIds(moa.userId))]).toEqual([RUN_A._id]), WITHIN);
        expect([...cached]).toEqual([]);

        await a.app.inject({ method: 'DELETE', url: '/del_like', headers: { authorization: moa.token }, payload: { id: RUN_A._id } });
        await vi.waitFor(async () => expect([...(await b.container.likes.likedIds(moa.userId))]).toEqual([]), WITHIN);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it.skipIf(backend.name !== 'postgres')(
      'when the listening connection drops, then the instance reconnects and drops its cached sets, seeing changes made meanwhile',
      async () => {
        const env = { ...db.env, TICKETMOA_NOW: NOW };
        const a = await startTestService(env);
        const b = await startTestService(env);
        const admin = new pg.Client({ connectionString: db.env.DATABASE_URL });
        await admin.connect();
        try {
          await withCatalogue(a);
          await b.container.catalog.refresh();
          const moa = await account(a, 'reconnect01');
          await b.container.likes.likedIds(moa.userId);
          await vi.waitFor(
            async () => expect(await b.container.likes.likedIds(moa.userId)).toBe(await b.container.likes.likedIds(moa.userId)),
            WITHIN,
          );
          const { rowCount } = await admin.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN "likes_changed"'`,
          );
          expect(rowCount).toBe(1);
          await a.app.inject({ method: 'POST', url: '/like', headers: { authorization: moa.token }, payload: { id: RUN_B._id } });
          await vi.waitFor(async () => expect([...(await b.container.likes.likedIds(moa.userId))]).toEqual([RUN_B._id]), WITHIN);
        } finally {
          await admin.end();
          await Promise.all([a.close(), b.close()]);
        }
      },
    );

    it('when the service restarts on the same database, then the likes are still there, in order', async () => {
      const env = { ...db.env, TICKETMOA_NOW: NOW };
      const first = await startTestService(env);
      let moa: { token: string; userId: string };
      try {
        await withCatalogue(first);
        moa = await account(first, 'restart01');
        for (const id of [RUN_B._id, RUN_A._id]) {
          const res = await first.app.inject({ method: 'POST', url: '/like', headers: { authorization: moa.token }, payload: { id } });
          expect(res.statusCode).toBe(200);
        }
      } finally {
        await first.close();
      }
      const second = await startTestService(env);
      try {
        // the signing secret is per data dir here: log in again on the new service
        const res = await second.app.inject({ method: 'POST', url: '/auth/login', payload: { id: 'restart01', password: PASSWORD } });
        const token = (res.json() as { access_token: string }).access_token;
        const list = await second.app.inject({ method: 'GET', url: '/get_like', headers: { authorization: token } });
        expect((list.json() as { id: string }[]).map((r) => r.id)).toEqual([RUN_B._id, RUN_A._id]);
      } finally {
        await second.close();
      }
    });
  });
}

describe('likes in the event lake', () => {
  it('when likes and unlikes go through the API, then the sink writes them to Like_log with ticket_id, title, category and status', async () => {
    const svc = await startTestService({ TICKETMOA_NOW: NOW });
    const duck = await openDuckDb();
    try {
      await withCatalogue(svc);
      const moa = await account(svc, 'lake01');
      const send = (method: 'POST' | 'DELETE', url: string) =>
        svc.app.inject({ method, url, headers: { authorization: moa.token, 'user-agent': 'lake-test' }, payload: { id: RUN_A._id } });
      for (const [method, url] of [
        ['POST', '/like'],
        ['POST', '/like'],
        ['DELETE', '/del_like'],
        ['DELETE', '/del_like'],
      ] as const) {
        expect((await send(method, url)).statusCode).toBe(200);
      }
      const sink = await svc.container.pipeline.startSink();
      await sink.stop();
      const files = sqlString(path.join(svc.dataDir, 'lake', 'logs', 'Like_log', '*.parquet'));
      const rows = await duck.all(
        `SELECT topic, action, user_id, device, ticket_id, title, category, status FROM read_parquet(${files}) ORDER BY "timestamp", event_id`,
      );
      const row = { topic: 'Like_log', user_id: moa.eventUserId, device: 'lake-test', ticket_id: RUN_A._id, title: '레미제라블', category: '뮤지컬' };
      expect(rows).toHaveLength(4);
      expect(new Set(rows.map((r) => `${String(r.action)}:${String(r.status)}`))).toEqual(
        new Set(['like:changed', 'like:unchanged', 'unlike:changed', 'unlike:unchanged']),
      );
      for (const r of rows) expect(r).toMatchObject(row);
    } finally {
      duck.close();
      await svc.close();
    }
  });
});
