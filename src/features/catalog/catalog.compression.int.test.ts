import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCompressionMetrics } from '../../composition/metrics.js';
import { compressionTally } from '../../platform/json-body.js';
import { startTestService, type TestService } from '../../test-support/app.js';
import { makeRun } from '../../test-support/runs.js';

// Friday 2026-11-27 in Seoul; the weekend is 11.28–11.29.
const NOW = '2026-11-27T10:00:00+09:00';
const CATEGORIES = ['콘서트', '뮤지컬', '연극', '전시/행사'];
const id = (n: number) => `d${String(n).padStart(23, '0')}`;
const runs = Array.from({ length: 1500 }, (_, i) =>
  makeRun({
    _id: id(i),
    title: `압축 공연 ${i}`,
    category: CATEGORIES[i % CATEGORIES.length]!,
    start_date: `2026.11.${String(1 + (i % 27)).padStart(2, '0')}`,
    end_date: '2026.12.31',
    hosts: [{ site_id: 1 + (i % 3), ticket_url: `https://tickets.example.com/${i}` }],
  }),
).concat(Array.from({ length: 12 }, (_, i) => makeRun({ _id: id(5000 + i), title: `12월 공연 ${i}`, start_date: `2026.12.${String(10 + i)}` })));
/** What Chromium sends over plain HTTP, and over HTTPS. */
const BROWSER_HTTP = 'gzip, deflate';
const BROWSER_HTTPS = 'gzip, deflate, br, zstd';

const decode = (encoding: unknown, raw: Buffer): Buffer =>
  encoding === 'gzip' ? gunzipSync(raw) : encoding === 'br' ? brotliDecompressSync(raw) : encoding === undefined ? raw : Buffer.alloc(0);
const varies = (headers: Record<string, string | string[] | number | undefined>) =>
  [headers['vary'] ?? '']
    .flat()
    .join(',')
    .split(',')
    .map((v) => v.trim().toLowerCase());

describe('large answers are compressed for clients that accept it', () => {
  let svc: TestService;
  const get = (url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET') => svc.app.inject({ method, url, headers });

  beforeAll(async () => {
    svc = await startTestService({ TICKETMOA_NOW: NOW });
    await svc.container.stores.performances.upsertMany(runs);
    await svc.container.catalog.refresh();
  });
  afterAll(async () => svc?.close());

  it.each([
    ['/search', BROWSER_HTTP, 'gzip'],
    ['/search', BROWSER_HTTPS, 'br'],
    ['/this_weekend', BROWSER_HTTP, 'gzip'],
    ['/this_weekend?per_category=1000', BROWSER_HTTPS, 'br'],
    ['/exclusive/all', BROWSER_HTTPS, 'br'],
    ['/exclusive/main', BROWSER_HTTP, 'gzip'],
    ['/banner', BROWSER_HTTPS, 'br'],
    [`/search?category=${encodeURIComponent('연극')}`, BROWSER_HTTP, 'gzip'],
  ])(
    'when %s is asked with Accept-Encoding %j, then it arrives as %s, decodes to the plain answer and says it varies',
    async (url, accept, coding) => {
      const plain = await get(url);
      const packed = await get(url, { 'accept-encoding': accept });
      expect(plain.statusCode).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(packed.headers['content-encoding']).toBe(coding);
      expect(packed.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Number(packed.headers['content-length'])).toBe(packed.rawPayload.length);
      expect(packed.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
      expect(decode(coding, packed.rawPayload).equals(plain.rawPayload)).toBe(true);
      expect(varies(packed.headers)).toContain('accept-encoding');
      expect(varies(plain.headers)).toContain('accept-encoding');
    },
  );

  it.each([
    ['identity', undefined],
    ['deflate', undefined],
    ['gzip;q=0, br;q=0', undefined],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=0, *', 'br'],
    ['*;q=0', undefined],
    ['gzip;q=0.5, identity', undefined],
    ['GZIP', 'gzip'],
    ['x-gzip', 'gzip'],
  ])('when Accept-Encoding is %j, then the answer is coded %s', async (accept, coding) => {
    const plain = await get('/search');
    const res = await get('/search', { 'accept-encoding': accept });
    expect(res.headers['content-encoding']).toBe(coding);
    expect(decode(coding, res.rawPayload).equals(plain.rawPayload)).toBe(true);
  });

  it('when a HEAD request accepts gzip, then it gets the headers of the compressed GET and no body', async () => {
    const got = await get('/search', { 'accept-encoding': BROWSER_HTTP });
    const head = await get('/search', { 'accept-encoding': BROWSER_HTTP }, 'HEAD');
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-encoding']).toBe('gzip');
    expect(head.headers['content-length']).toBe(got.headers['content-length']);
    expect(varies(head.headers)).toContain('accept-encoding');
    expect(head.rawPayload.length).toBe(0);
    const plainHead = await get('/search', {}, 'HEAD');
    expect(plainHead.headers['content-encoding']).toBeUndefined();
    expect(Number(plainHead.headers['content-length'])).toBe((await get('/search')).rawPayload.length);
  });

  it('when the frontend asks across origins, then Vary names both Origin and Accept-Encoding', async () => {
    const res = await get('/this_weekend', { origin: 'http://localhost:3000', 'accept-encoding': BROWSER_HTTP });
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(varies(res.headers)).toEqual(expect.arrayContaining(['origin', 'accept-encoding']));
  });

  it('when an answer is smaller than 1 KiB, then it is sent as it is, whatever the client accepts', async () => {
    // one vendor's exclusive runs: none here is exclusive to vendor 9, so the answer is []
    const res = await get('/exclusive/all?site_id=9', { 'accept-encoding': BROWSER_HTTPS });
    expect(res.body).toBe('[]');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(varies(res.headers)).not.toContain('accept-encoding');
  });

  it('when the whole catalogue is searched again, then nothing is serialised or compressed again: the same bytes are sent', async () => {
    const actor = { user_id: 'anonymous', device: 'test' };
    const first = await get('/search', { 'accept-encoding': BROWSER_HTTP });
    const kept = await svc.container.catalog.search({}, actor);
    const before = compressionTally();

    const again = await Promise.all([1, 2, 3].map(() => get('/search', { 'accept-encoding': BROWSER_HTTP })));

    expect(compressionTally()).toEqual(before);
    expect((await svc.container.catalog.search({}, actor)).body).toBe(kept.body);
    expect(await kept.body.encoded('gzip')).toEqual(first.rawPayload);
    for (const res of again) expect(res.rawPayload.equals(first.rawPayload)).toBe(true);
  });

  it('when /this_weekend sizes rotate, then each size is compressed once and later rounds cost no compression', async () => {
    const sizes = Array.from({ length: 24 }, (_, i) => i + 1);
    const whole = JSON.parse((await get('/this_weekend?per_category=1000')).body) as { category: string }[];
    const categories = [...new Set(whole.map((r) => r.category))];
    const firstRound = new Map<number, Buffer>();
    for (const n of sizes) {
      const res = await get(`/this_weekend?per_category=${n}`, { 'accept-encoding': BROWSER_HTTP });
      firstRound.set(n, res.rawPayload);
      const expected = categories.flatMap((c) => whole.filter((r) => r.category === c).slice(0, n));
      expect(JSON.parse(decode(res.headers['content-encoding'], res.rawPayload).toString())).toEqual(expected);
    }
    const before = compressionTally();
    for (const n of [...sizes, ...sizes]) {
      const res = await get(`/this_weekend?per_category=${n}`, { 'accept-encoding': BROWSER_HTTP });
      expect(res.rawPayload.equals(firstRound.get(n)!)).toBe(true);
    }
    expect(compressionTally()).toEqual(before);
  });

  it('when answers have been compressed, then /metrics shows how many, their bytes and the threadpool time per coding', async () => {
    registerCompressionMetrics(svc.container.metrics);
    await get('/exclusive/all', { 'accept-encoding': BROWSER_HTTPS });
    const text = (await get('/metrics')).body;
    const value = (name: string, coding: string) => Number(new RegExp(`^${name}\\{coding="${coding}"\\} (\\S+)$`, 'm').exec(text)?.[1]);
    for (const coding of ['gzip', 'br']) {
      expect(value('ticketmoa_json_compressions_total', coding)).toBe(compressionTally()[coding as 'gzip' | 'br'].bodies);
      expect(value('ticketmoa_json_compressions_total', coding)).toBeGreaterThan(0);
      expect(value('ticketmoa_json_compression_output_bytes_total', coding)).toBeLessThan(
        value('ticketmoa_json_compression_input_bytes_total', coding),
      );
      expect(value('ticketmoa_json_compression_seconds_total', coding)).toBeGreaterThan(0);
    }
  });
});
