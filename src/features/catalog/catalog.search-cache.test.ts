import { describe, expect, it } from 'vitest';
import type { Actor, EventFields, EventRecorder } from '../../pipeline/index.js';
import { fixedClock } from '../../platform/clock.js';
import { makeRun } from '../../test-support/runs.js';
import { CatalogService } from './catalog.service.js';
import { createMemoryPerformanceStore } from './memory-performance-store.js';

const clock = fixedClock('2026-11-27T12:00:00+09:00');
const actor: Actor = { user_id: 'anonymous', device: 'test' };

async function catalogWith(searchCache?: { maxBytes?: number; maxEntries?: number }) {
  const recorded: EventFields[] = [];
  const events: EventRecorder = { record: (_topic, _action, _who, fields) => recorded.push(fields) };
  const store = createMemoryPerformanceStore();
  await store.upsertMany([
    makeRun({ title: 'IU 콘서트', category: '콘서트' }),
    makeRun({ title: '레미제라블', category: '뮤지컬' }),
    makeRun({ title: 'iu 팬미팅', category: '콘서트' }),
  ]);
  const catalog = new CatalogService({ store, clock, events, searchCache });
  await catalog.refresh();
  return { catalog, store, recorded };
}

describe('hot searches are served from a cache of bodies', () => {
  it('when the same search comes again, then the same body is served and each search is still recorded', async () => {
    const { catalog, recorded } = await catalogWith();

    const first = await catalog.search({ keyword: 'IU', category: '콘서트' }, actor);
    const again = await catalog.search({ keyword: 'iu', category: '콘서트', start_date: '' }, actor);

    expect(first.count).toBe(2);
    expect(again.body).toBe(first.body);
    expect(catalog.searchCacheStats().entries).toBe(1);
    expect(recorded.map((f) => [f.keyword, f.result_count])).toEqual([
      ['IU', 2],
      ['iu', 2],
    ]);
  });

  it('when the catalogue changes, then the next search sees the change', async () => {
    const { catalog, store } = await catalogWith();
    expect((await catalog.search({ keyword: 'IU' }, actor)).count).toBe(2);

    await store.upsertMany([makeRun({ title: 'IU 앵콜', category: '콘서트' })]);
    expect((await catalog.search({ keyword: 'IU' }, actor)).count).toBe(2);
    await catalog.refresh();

    const after = await catalog.search({ keyword: 'IU' }, actor);
    expect(after.count).toBe(3);
    expect(JSON.parse(after.body.raw.toString()).map((r: { title: string }) => r.title)).toContain('IU 앵콜');
  });

  it('when many distinct keywords are searched, then the cache stays within its bounds', async () => {
    const { catalog, recorded } = await catalogWith({ maxEntries: 50, maxBytes: 4096 });

    for (let i = 0; i < 2000; i += 1) await catalog.search({ keyword: `없는 공연 ${i}` }, actor);
    for (let i = 0; i < 200; i += 1) await catalog.search({ category: `분류 ${i}`, region: '서울' }, actor);

    const stats = catalog.searchCacheStats();
    expect(stats.entries).toBeLessThanOrEqual(50);
    expect(stats.bytes).toBeLessThanOrEqual(4096);
    expect(recorded).toHaveLength(2200);
  });

  it('when the whole catalogue is searched, then it is built once for the day whatever the cache bounds, and searches arriving during the build share it', async () => {
    const { catalog, recorded } = await catalogWith({ maxEntries: 2, maxBytes: 64 });

    const [a, b, c] = await Promise.all([
      catalog.search({}, actor),
      catalog.search({ keyword: '', category: '', region: '', start_date: '', end_date: '' }, actor),
      catalog.search({ keyword: '' }, actor),
    ]);
    const later = await catalog.search({}, actor);

    expect(a.count).toBe(3);
    expect(b.body).toBe(a.body);
    expect(c.body).toBe(a.body);
    expect(later.body).toBe(a.body);
    expect(a.body.raw.length).toBeGreaterThan(64);
    expect(catalog.searchCacheStats().entries).toBe(0);
    expect(recorded).toHaveLength(4);
  });

  it('when a kept search body gets its compressed forms, then the cache counts their bytes within its bound', async () => {
    const { catalog } = await catalogWith({ maxEntries: 100, maxBytes: 1_000_000 });
    const { body } = await catalog.search({ category: '콘서트' }, actor);
    const before = catalog.searchCacheStats().bytes;
    const gz = await body.encoded('gzip');
    expect(gz).toBeDefined();
    expect(catalog.searchCacheStats().bytes).toBe(before + gz!.length);
  });
});
