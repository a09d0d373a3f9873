import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../../test-support/app.js';
import { testBackends } from '../../test-support/backends.js';
import { makeRun } from '../../test-support/runs.js';
import { OPEN_RUN, type Performance } from './performance.js';

// Friday 2026-11-27 in Seoul; the weekend is 11.28–11.29.
const NOW = '2026-11-27T10:00:00+09:00';

const id = (n: number) => `b${String(n).padStart(23, '0')}`;
const run = (n: number, o: Partial<Performance>) => makeRun({ _id: id(n), title: `공연 ${n}`, ...o });

const catalogue: Performance[] = [
  run(1, { title: '오늘 시작', start_date: '2026.11.27', end_date: '2026.12.31' }),
  ...Array.from({ length: 12 }, (_, i) =>
    run(10 + i, { title: `다가오는 공연 ${i}`, start_date: `2026.12.${String(i + 10).padStart(2, '0')}`, end_date: '2027.01.31' }),
  ),
  run(2, { title: '주말에 걸친 공연', start_date: '2026.11.23', end_date: '2026.12.06', category: '뮤지컬' }),
  run(3, { title: '일요일 시작', start_date: '2026.11.29', end_date: '2026.11.29', category: '연극' }),
  run(4, { title: '금요일에 끝남', start_date: '2026.11.01', end_date: '2026.11.27', category: '뮤지컬/연극' }),
  run(5, { title: '포스터 없는 주말 공연', start_date: '2026.11.28', end_date: '2026.11.28', poster_url: null }),
  run(6, { title: '상설 전시', start_date: '2025.01.01', end_date: OPEN_RUN, category: '전시/행사', region: '제주' }),
  run(7, { title: '지난 공연', start_date: '2026.10.01', end_date: '2026.11.26', hosts: [{ site_id: 2, ticket_url: 'u' }] }),
  run(8, {
    title: 'IU 콘서트 a.*b',
    artist: [{ artist_name: '아이유', artist_url: null }],
    start_date: '2026.12.24',
    end_date: '2026.12.25',
    region: '경상',
    hosts: [
      { site_id: 1, ticket_url: 'u1' },
      { site_id: 3, ticket_url: 'u3' },
    ],
  }),
  run(9, { title: '예스24 단독', start_date: '2026.11.20', end_date: '2026.12.20', hosts: [{ site_id: 2, ticket_url: null }] }),
];

for (const backend of await testBackends()) {
  describe.skipIf(backend.env === undefined)(`catalogue HTTP API on ${backend.name}`, () => {
    let svc: TestService;

    beforeAll(async () => {
      svc = await startTestService({ TICKETMOA_NOW: NOW, ...(await backend.env!()) }, { similarRunsInProcess: true });
      await svc.container.stores.performances.upsertMany(catalogue);
      await svc.container.catalog.refresh();
    });
    afterAll(async () => svc?.close());

    const get = async (url: string, headers: Record<string, string> = {}) => {
      const res = await svc.app.inject({ method: 'GET', url, headers });
      return { status: res.statusCode, body: res.json(), headers: res.headers };
    };
    const titles = (body: { title: string }[]) => body.map((r) => r.title);

    describe('GET /banner', () => {
      it('lists the 11 runs starting after today, earliest first, today excluded', async () => {
        const { status, body } = await get('/banner');
        expect(status).toBe(200);
        expect(body).toHaveLength(11);
        expect(titles(body)).not.toContain('오늘 시작');
        expect(titles(body).slice(0, 2)).toEqual(['포스터 없는 주말 공연', '일요일 시작']);
        const starts = body.map((r: Performance) => r.start_date);
        expect([...starts].sort()).toEqual(starts);
        expect(Object.keys(body[0])).toEqual([
          'id',
          'title',
          'poster_url',
          'location',
          'start_date',
          'end_date',
          'category',
          'onSale',
          'isExclusive',
          'is_liked',
        ]);
        expect(body.every((r: { is_liked: boolean }) => r.is_liked === false)).toBe(true);
      });
    });

    describe('GET /this_weekend', () => {
      it('lists runs with a poster that overlap Saturday or Sunday of this week', async () => {
        const { body } = await get('/this_weekend');
        const t = titles(body);
        expect(t).toContain('주말에 걸친 공연');
        expect(t).toContain('일요일 시작');
        expect(t).toContain('상설 전시');
        expect(t).toContain('오늘 시작');
        expect(t).not.toContain('금요일에 끝남');
        expect(t).not.toContain('포스터 없는 주말 공연');
        expect(t).not.toContain('다가오는 공연 0');
        expect(body.find((r: { title: string }) => r.title === '일요일 시작').category).toBe('연극');
      });

      it('takes up to per_category runs per category, the most viewed on the last 7 days first', async () => {
        await svc.container.stores.popular.replaceRanking('7d', [{ ticket_id: id(9), views: 5 }], new Date(NOW));
        await svc.container.catalog.refresh();
        const { status, body } = await get('/this_weekend?per_category=1');
        expect(status).toBe(200);
        const concerts = body.filter((r: { category: string }) => r.category === '콘서트');
        expect(titles(concerts)).toEqual(['예스24 단독']);
        expect(titles((await get('/this_weekend?per_category=1000')).body)).toContain('오늘 시작');
        expect(titles((await get('/this_weekend?per_category=')).body)).toContain('오늘 시작');
      });

      it('answers 422 JSON for a per_category that is not an integer from 1 to 1000', async () => {
        for (const bad of ['0', '1001', 'abc', '-1', '1.5']) {
          const res = await get(`/this_weekend?per_category=${bad}`);
          expect(res.status).toBe(422);
          expect(res.headers['content-type']).toContain('application/json');
          expect(res.body).toHaveProperty('detail');
          // The message says what is expected, not the pattern that checks it.
          expect(res.body.detail).toContain('1 to 1000');
          expect(res.body.detail).not.toContain('^(');
        }
      });
    });

    describe('GET /detail/:id', () => {
      it('answers the whole document under data, with _id and array-or-null fields', async () => {
        const { status, body } = await get(`/detail/${id(8)}`);
        expect(status).toBe(200);
        expect(body.data._id).toBe(id(8));
        expect(body.data.hosts).toHaveLength(2);
        expect(body.data.artist).toEqual([{ artist_name: '아이유', artist_url: null }]);
        expect(body.data).toHaveProperty('casting', null);
        expect(body.data).toHaveProperty('price');
      });

      it('answers 400 for a malformed id and 404 for an unknown one', async () => {
        expect((await get('/detail/not-an-id')).status).toBe(400);
        expect((await get(`/detail/${'A'.repeat(24)}`)).status).toBe(400);
        expect((await get(`/detail/${'a'.repeat(400)}`)).status).toBe(400);
        const missing = await get(`/detail/${'f'.repeat(24)}`);
        expect(missing.status).toBe(404);
        expect(missing.body).toEqual({ detail: 'performance not found' });
      });
    });

    describe('GET /exclusive', () => {
      it('groups up to 4 current exclusive runs per vendor, vendors ascending', async () => {
        const { body } = await get('/exclusive/main');
        expect(body.map((g: { _id: number }) => g._id)).toEqual([1, 2]);
        const site1 = body[0].items;
        expect(site1).toHaveLength(4);
        expect(site1.map((r: Performance) => r.start_date)).toEqual([...site1.map((r: Performance) => r.start_date)].sort());
        const site2 = titles(body[1].items);
        expect(site2).toEqual(['예스24 단독']);
        expect(site2).not.toContain('지난 공연');
      });

      it('lists all current exclusives of one vendor with onSale, and [] for a vendor with none', async () => {
        const { body } = await get('/exclusive/all?site_id=2&currPage=1');
        expect(titles(body)).toEqual(['예스24 단독']);
        expect(body[0].onSale).toBe(false);
        const none = await get('/exclusive/all?site_id=3');
        expect(none.status).toBe(200);
        expect(none.body).toEqual([]);
        expect((await get('/exclusive/all')).body.length).toBeGreaterThan(10);
        expect((await get('/exclusive/all?site_id=abc')).status).toBe(422);
      });
    });

    describe('GET /search', () => {
      it('returns the complete result set with category, onSale and isExclusive', async () => {
        const { body } = await get('/search');
        expect(body).toHaveLength(catalogue.length);
        const iu = body.find((r: { id: string }) => r.id === id(8));
        expect(iu).toMatchObject({ category: '콘서트', onSale: true, isExclusive: false });
        const past = body.find((r: { id: string }) => r.id === id(7));
        expect(past.onSale).toBe(false);
      });

      it('matches the keyword literally in titles and artist names, case-insensitively', async () => {
        expect(titles((await get('/search?keyword=.*')).body)).toEqual(['IU 콘서트 a.*b']);
        expect(titles((await get('/search?keyword=iu')).body)).toEqual(['IU 콘서트 a.*b']);
        expect(titles((await get(`/search?keyword=${encodeURIComponent('유')}`)).body)).toEqual(['IU 콘서트 a.*b']);
        expect(titles((await get(`/search?query=${encodeURIComponent('단독')}`)).body)).toEqual(['예스24 단독']);
        expect((await get('/search?keyword=%5B')).body).toEqual([]);
      });

      it('lets 뮤지컬/연극 cover musicals, plays and the combined label', async () => {
        const { body } = await get(`/search?category=${encodeURIComponent('뮤지컬/연극')}`);
        expect(titles(body).sort()).toEqual(['금요일에 끝남', '일요일 시작', '주말에 걸친 공연'].sort());
      });

      it('filters by region and by an overlapping date range, open runs included', async () => {
        expect(titles((await get(`/search?region=${encodeURIComponent('제주')}`)).body)).toEqual(['상설 전시']);
        const { body } = await get('/search?start_date=2026.11.28&end_date=2026.11.28');
        const t = titles(body);
        expect(t).toContain('주말에 걸친 공연');
        expect(t).toContain('상설 전시');
        expect(t).toContain('포스터 없는 주말 공연');
        expect(t).not.toContain('일요일 시작');
        expect(t).not.toContain('금요일에 끝남');
      });

      it('treats empty strings as no filter and tolerates extra parameters', async () => {
        const { status, body } = await get('/search?keyword=&category=&region=&start_date=&end_date=&currPage=2&notSale=null&utm=x');
        expect(status).toBe(200);
        expect(body).toHaveLength(catalogue.length);
      });

      it('answers 422 JSON for dates that are not YYYY.MM.DD or a reversed range', async () => {
        for (const q of ['start_date=2026-11-28', 'end_date=2026.02.30', 'start_date=2026.12.01&end_date=2026.11.01']) {
          const res = await get(`/search?${q}`);
          expect(res.status).toBe(422);
          expect(typeof res.body.detail).toBe('string');
        }
      });

      it('answers 4xx JSON, never 5xx, for huge, binary or repeated parameters', async () => {
        for (const url of [`/search?keyword=${'가'.repeat(300)}`, `/search?keyword=${'x'.repeat(9000)}`, '/search?keyword=a&keyword=b']) {
          const res = await get(url);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(res.body).toHaveProperty('detail');
        }
        const binary = await get('/search?keyword=%00%FF%FE%C0');
        expect(binary.status).toBe(200);
        expect(binary.body).toEqual([]);
      });
    });

    describe('GET /popular and /recommendation', () => {
      it('serves the stored ranking highest first, current runs only, at most 8', async () => {
        expect((await get('/popular')).body).toEqual([]);
        await svc.container.stores.popular.replaceRanking(
          'all',
          [
            { ticket_id: id(8), views: 50 },
            { ticket_id: id(7), views: 40 },
            { ticket_id: id(2), views: 30 },
            ...Array.from({ length: 10 }, (_, i) => ({ ticket_id: id(10 + i), views: 20 - i })),
          ],
          new Date(NOW),
        );
        const { body } = await get('/popular');
        expect(body).toHaveLength(8);
        expect(body.map((r: { id: string }) => r.id).slice(0, 3)).toEqual([id(8), id(2), id(10)]);
      });

      it('answers 404 for an unknown run and the stored similar runs otherwise', async () => {
        expect((await get(`/recommendation/${'f'.repeat(24)}`)).status).toBe(404);
        // nothing stored yet: an empty list at once, then computed in the background, within the
        // rules (same region, starting 0–90 days later)
        expect((await get(`/recommendation/${id(2)}`)).body).toEqual([]);
        await svc.container.similarRuns.idle();
        const computed = (await get(`/recommendation/${id(2)}`)).body as Performance[] & { id: string }[];
        expect(computed.length).toBeGreaterThan(0);
        expect(computed.length).toBeLessThanOrEqual(3);
        for (const r of computed) {
          const run = catalogue.find((c) => c._id === (r as unknown as { id: string }).id)!;
          expect(run._id).not.toBe(id(2));
          expect(run.region).toBe('서울');
          expect(run.start_date >= '2026.11.23' && run.start_date <= '2027.02.21').toBe(true);
        }
        await svc.container.stores.recommendations.putMany([{ performance_id: id(2), similar_ids: [id(3), id(4)] }], new Date(NOW));
        expect(titles((await get(`/recommendation/${id(2)}`)).body)).toEqual(['일요일 시작', '금요일에 끝남']);
      });
    });

    describe('HTTP conventions', () => {
      it('answers CORS preflights for the configured frontend origin only', async () => {
        const ok = await svc.app.inject({
          method: 'OPTIONS',
          url: '/search',
          headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
        });
        expect(ok.statusCode).toBe(204);
        expect(ok.headers['access-control-allow-origin']).toBe('http://localhost:3000');
        expect(String(ok.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
        const other = await svc.app.inject({ method: 'GET', url: '/banner', headers: { origin: 'http://evil.example' } });
        expect(other.headers['access-control-allow-origin']).toBeUndefined();
      });

      it('describes every catalogue endpoint in /openapi.json and serves /docs', async () => {
        const { body } = await get('/openapi.json');
        for (const p of [
          '/search',
          '/detail/{id}',
          '/banner',
          '/this_weekend',
          '/popular',
          '/exclusive/main',
          '/exclusive/all',
          '/recommendation/{id}',
        ]) {
          expect(body.paths).toHaveProperty([p]);
        }
        const docs = await svc.app.inject({ method: 'GET', url: '/docs/' });
        expect(docs.statusCode).toBe(200);
      });

      it('when a client accepts gzip, then a large cached list arrives compressed and intact', async () => {
        const big = await startTestService({ TICKETMOA_NOW: NOW });
        try {
          await big.container.stores.performances.upsertMany(
            Array.from({ length: 100 }, (_, i) => run(1000 + i, { title: `단독 공연 ${i}`, hosts: [{ site_id: 3, ticket_url: 'u' }] })),
          );
          await big.container.catalog.refresh();
          const plain = await big.app.inject({ method: 'GET', url: '/exclusive/all' });
          const zipped = await big.app.inject({ method: 'GET', url: '/exclusive/all', headers: { 'accept-encoding': 'gzip' } });
          expect(plain.headers['content-encoding']).toBeUndefined();
          expect(zipped.headers['content-encoding']).toBe('gzip');
          expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
          expect(JSON.parse(gunzipSync(zipped.rawPayload).toString())).toEqual(plain.json());
          expect(plain.json()).toHaveLength(100);
        } finally {
          await big.close();
        }
      });

      it('answers unknown paths with a JSON 404', async () => {
        const res = await get('/nope');
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ detail: 'Not Found' });
      });
    });
  });
}
