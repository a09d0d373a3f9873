import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LikedRuns } from '../../http/liked-lists.js';
import { compressionTally } from '../../platform/json-body.js';
import { login, signup } from '../../test-support/accounts.js';
import { startTestService, type TestService } from '../../test-support/app.js';
import { makeRun } from '../../test-support/runs.js';

// Friday 2026-11-27 in Seoul; the weekend is 11.28–11.29.
const NOW = '2026-11-27T10:00:00+09:00';
const id = (n: number) => `b${String(n).padStart(23, '0')}`;

// 30 runs on show this weekend (all exclusive to one of three vendors), starting after today
const catalogue = Array.from({ length: 30 }, (_, i) =>
  makeRun({
    _id: id(i),
    title: `좋아요 공연 ${i} "따옴표" \\ ,"is_liked":false}`,
    start_date: i < 15 ? '2026.11.20' : `2026.11.${28 + (i % 2)}`,
    end_date: '2026.12.31',
    category: i % 2 === 0 ? '콘서트' : '뮤지컬',
    hosts: [{ site_id: 1 + (i % 3), ticket_url: null }],
  }),
);

interface Item {
  id: string;
  is_liked: boolean;
}

const LIST_URLS = [
  '/banner',
  '/this_weekend',
  '/this_weekend?per_category=1000',
  '/popular',
  '/search',
  '/search?keyword=%EA%B3%B5%EC%97%B0',
  '/exclusive/all',
  '/exclusive/all?site_id=2',
  '/exclusive/main',
  `/recommendation/${id(0)}`,
];

/** The list items of an answer (the groups' items for /exclusive/main). */
const itemsOf = (url: string, body: unknown): Item[] =>
  url === '/exclusive/main' ? (body as { items: Item[] }[]).flatMap((g) => g.items) : (body as Item[]);

describe('is_liked on every list', () => {
  let svc: TestService;
  const likes = new Map<string, ReadonlySet<string>>();
  const asked: string[] = [];
  let failing = false;
  const likedRuns: LikedRuns = async (userId) => {
    asked.push(userId);
    if (failing) throw new Error('likes store down');
    return likes.get(userId) ?? new Set();
  };
  let fan: string;
  let other: string;
  const LIKED = new Set([id(0), id(1), id(3), id(16), id(29), 'c00000000000000000000000']);

  beforeAll(async () => {
    svc = await startTestService({ TICKETMOA_NOW: NOW }, { likedRuns });
    await svc.container.stores.performances.upsertMany(catalogue);
    await svc.container.catalog.refresh();
    await svc.container.stores.popular.replaceRanking(
      'all',
      [3, 16, 4, 29, 5].map((n, k) => ({ ticket_id: id(n), views: 100 - k })),
      new Date(NOW),
    );
    await svc.container.stores.recommendations.putMany([{ performance_id: id(0), similar_ids: [id(1), id(2), id(3)] }], new Date(NOW));
    const tokenOf = async (userId: string) => {
      await signup(svc, { id: userId, email: `${userId}@example.com` });
      const token = (await login(svc, userId)).json().access_token as string;
      const user = await svc.container.accounts.authenticate(token);
      return { token, userId: user!.userId };
    };
    const a = await tokenOf('fan2026');
    const b = await tokenOf('other2026');
    fan = a.token;
    other = b.token;
    likes.set(a.userId, LIKED);
    likes.set(b.userId, new Set(['c00000000000000000000000']));
  });
  afterAll(async () => svc?.close());

  const get = (url: string, headers: Record<string, string> = {}) => svc.app.inject({ method: 'GET', url, headers });

  it('when anonymous, then every item of every list carries is_liked false, as the last key, and likes are not looked up', async () => {
    for (const url of LIST_URLS) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      const items = itemsOf(url, res.json());
      expect(items.length, url).toBeGreaterThan(0);
      for (const item of items) {
        expect(item.is_liked, url).toBe(false);
        expect(Object.keys(item).at(-1), url).toBe('is_liked');
      }
    }
    expect(asked).toEqual([]);
  });

  it('when logged in, then exactly the liked runs say true, and the rest of the answer is the anonymous one', async () => {
    for (const url of LIST_URLS) {
      const anonymous = (await get(url)).json() as unknown;
      const res = await get(url, { authorization: fan });
      expect(res.statusCode, url).toBe(200);
      const body = res.json() as unknown;
      const items = itemsOf(url, body);
      expect(
        items.some((item) => item.is_liked),
        url,
      ).toBe(true);
      for (const item of items) expect(item.is_liked, `${url} ${item.id}`).toBe(LIKED.has(item.id));
      const withoutLikes = JSON.parse(JSON.stringify(body).replaceAll('"is_liked":true', '"is_liked":false')) as unknown;
      expect(withoutLikes, url).toEqual(anonymous);
    }
  });

  it('when logged in with a Bearer prefix and compression accepted, then the likes are in whatever coding is sent, compressed once', async () => {
    const round = async () => {
      for (const url of LIST_URLS) {
        for (const coding of ['gzip', 'br']) {
          const res = await get(url, { authorization: `Bearer ${fan}`, 'accept-encoding': coding });
          const encoding = res.headers['content-encoding'];
          // the cached lists above 1 KiB are compressed for a logged-in caller too
          if (url === '/search' || url === '/exclusive/all') expect(encoding, url).toBe(coding);
          const raw = encoding === 'gzip' ? gunzipSync(res.rawPayload) : encoding === 'br' ? brotliDecompressSync(res.rawPayload) : res.rawPayload;
          const items = itemsOf(url, JSON.parse(raw.toString()));
          for (const item of items) expect(item.is_liked, `${url} ${coding}`).toBe(LIKED.has(item.id));
        }
      }
    };
    await round();
    const before = compressionTally();
    await round();
    expect(compressionTally()).toEqual(before);
  });

  it('when a logged-in caller likes none of the runs, then the shared anonymous bytes are sent, compressed as for everyone', async () => {
    for (const url of ['/exclusive/all', '/search', '/this_weekend']) {
      const anonymous = await get(url, { 'accept-encoding': 'gzip' });
      const mine = await get(url, { authorization: other, 'accept-encoding': 'gzip' });
      expect(anonymous.headers['content-encoding'], url).toBe('gzip');
      expect(mine.headers['content-encoding'], url).toBe('gzip');
      expect(mine.rawPayload.equals(anonymous.rawPayload), url).toBe(true);
    }
  });

  it('when an invalid token is sent, then the lists are the anonymous ones', async () => {
    const items = itemsOf('/banner', (await get('/banner', { authorization: 'not-a-token' })).json());
    expect(items.every((item) => !item.is_liked)).toBe(true);
  });

  it('when the likes cannot be read, then the lists are still answered, without likes', async () => {
    failing = true;
    try {
      for (const url of ['/banner', '/popular', `/recommendation/${id(0)}`]) {
        const res = await get(url, { authorization: fan });
        expect(res.statusCode, url).toBe(200);
        expect(
          itemsOf(url, res.json()).every((item) => !item.is_liked),
          url,
        ).toBe(true);
      }
    } finally {
      failing = false;
    }
  });

  it('when the API is described, then list items document is_liked', async () => {
    const doc = (await get('/openapi.json')).json() as { paths: Record<string, { get: { responses: Record<string, unknown> } }> };
    for (const path of ['/banner', '/popular', '/search', '/exclusive/main', '/recommendation/{id}']) {
      expect(JSON.stringify(doc.paths[path]!.get.responses['200']), path).toContain('"is_liked"');
    }
  });
});
