import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../../test-support/app.js';
import { makeRun } from '../../test-support/runs.js';

const PUBLIC_URL = 'https://tickets.example.com/moa';
const own = makeRun({ _id: '6929a8c0000000000000aa01', title: `<script>alert("x")</script> Tom & Jerry's 〈쇼〉`, start_date: '2026.11.28' });
const imported = makeRun({ _id: '6929a8c0000000000000aa02', poster_url: 'http://tkfile.yes24.com/upload2/PerfBlog/202611/p.jpg' });

describe('GET /posters/{id} and the poster URLs lists and details give', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ TICKETMOA_NOW: '2026-11-27T10:00:00+09:00', PUBLIC_URL });
    await service.container.stores.performances.upsertMany([{ ...own, poster_url: `/posters/${own._id}` }, imported]);
    await service.container.catalog.refresh();
  });
  afterAll(() => service.close());

  const get = (url: string, headers: Record<string, string> = {}) => service.app.inject({ method: 'GET', url, headers });
  const listed = async () => {
    const items = (await get('/search')).json<{ id: string; poster_url: string | null }[]>();
    return new Map(items.map((i) => [i.id, i.poster_url]));
  };

  it("when a run has the service's poster, then lists and the detail give its absolute, versioned URL under PUBLIC_URL", async () => {
    const url = (await listed()).get(own._id)!;
    expect(url).toMatch(new RegExp(`^${PUBLIC_URL}/posters/${own._id}\\?v=[0-9a-f]{8}$`));
    expect((await get(`/detail/${own._id}`)).json().data.poster_url).toBe(url);
    expect((await get(`/banner`)).json<{ poster_url: string }[]>()[0]!.poster_url).toBe(url);
  });

  it('when a run was imported with its own poster URL, then that URL is served untouched', async () => {
    expect((await listed()).get(imported._id)).toBe(imported.poster_url);
    expect((await get(`/detail/${imported._id}`)).json().data.poster_url).toBe(imported.poster_url);
  });

  it('when the versioned URL is fetched, then an escaped SVG comes back, cacheable for a year, with an ETag', async () => {
    const path = new URL((await listed()).get(own._id)!).pathname.replace('/moa', '') + new URL((await listed()).get(own._id)!).search;
    const res = await get(path);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{8}"$/);
    expect(res.body).toMatch(/^<svg [^>]*width="300" height="420"/);
    expect(res.body).not.toContain('<script');
    expect(res.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');

    const again = await get(path, { 'if-none-match': res.headers.etag as string });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // without the version (or an old one) the client revalidates
    expect((await get(`/posters/${own._id}`)).headers['cache-control']).toBe('public, no-cache');
    expect((await get(`/posters/${own._id}?v=00000000`)).headers['cache-control']).toBe('public, no-cache');
  });

  it('when the run is renamed, then its URL and its ETag change', async () => {
    const before = (await listed()).get(own._id);
    const etag = (await get(`/posters/${own._id}`)).headers.etag;
    await service.container.stores.performances.upsertMany([{ ...own, title: '새 제목', poster_url: `/posters/${own._id}` }]);
    await service.container.catalog.refresh();
    expect((await listed()).get(own._id)).not.toBe(before);
    const res = await get(`/posters/${own._id}`);
    expect(res.headers.etag).not.toBe(etag);
    expect(res.body).toContain('새 제목');
  });

  it('when the id is unknown or malformed, then a JSON error: 404 or 400, never an image', async () => {
    const unknown = await get('/posters/6929a8c0000000000000ffff');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ detail: 'performance not found' });
    for (const bad of ['/posters/xyz', '/posters/6929A8C0000000000000AA01', `/posters/${'a'.repeat(500)}`, '/posters/%3Cscript%3E']) {
      const res = await get(bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().detail, bad).toContain('24 lowercase hexadecimal');
    }
    expect((await get(`/posters/${own._id}?v=${'f'.repeat(100)}`)).statusCode).toBe(422);
  });

  it('when the OpenAPI document is read, then it describes the poster endpoint as an SVG image', async () => {
    const doc = (await get('/openapi.json')).json();
    expect(Object.keys(doc.paths['/posters/{id}'].get.responses['200'].content)).toEqual(['image/svg+xml']);
  });
});
