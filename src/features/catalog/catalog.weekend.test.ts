import { describe, expect, it } from 'vitest';
import type { EventRecorder } from '../../pipeline/index.js';
import { fixedClock } from '../../platform/clock.js';
import { makeRun } from '../../test-support/runs.js';
import { CatalogService, WEEKEND_PER_CATEGORY } from './catalog.service.js';
import { createMemoryPerformanceStore } from './memory-performance-store.js';
import type { Performance } from './performance.js';

// Friday 2026-11-27 in Seoul; the weekend is 11.28–11.29.
const clock = fixedClock('2026-11-27T12:00:00+09:00');
const events: EventRecorder = { record: () => {} };
const id = (n: number) => `c${String(n).padStart(23, '0')}`;
const run = (n: number, o: Partial<Performance> = {}) =>
  makeRun({ _id: id(n), title: `공연 ${n}`, start_date: '2026.11.20', end_date: '2026.12.20', category: '콘서트', ...o });

async function catalogWith(runs: Performance[], views: Map<string, number> = new Map()) {
  const store = createMemoryPerformanceStore();
  await store.upsertMany(runs);
  const catalog = new CatalogService({ store, clock, events, viewsLast7Days: async () => new Map(views) });
  await catalog.refresh();
  const list = async (n?: number) => JSON.parse((await catalog.thisWeekend(n)).raw.toString()) as { id: string; category: string | null }[];
  return { catalog, store, views, list };
}

describe('this weekend, a home page list', () => {
  it('when a category has more than 12 runs on, then the 12 most viewed on the last 7 days come, then earliest start, then id', async () => {
    // 20 concerts: 1..20, starting on different days; views for 17, 5 and 9
    const concerts = Array.from({ length: 20 }, (_, i) => run(i + 1, { start_date: `2026.11.${String(i + 1).padStart(2, '0')}` }));
    const twins = [run(30, { start_date: '2026.11.02' }), run(31, { start_date: '2026.11.02' })];
    const { list } = await catalogWith(
      [...concerts, ...twins, run(40, { category: '뮤지컬' })],
      new Map([
        [id(17), 50],
        [id(5), 9],
        [id(9), 9],
      ]),
    );

    const body = await list();
    const concertIds = body.filter((r) => r.category === '콘서트').map((r) => r.id);
    expect(concertIds).toHaveLength(WEEKEND_PER_CATEGORY);
    // 17 (50 views), then 5 and 9 (9 views, 5 starts first), then the unviewed by start date, id breaking the tie
    expect(concertIds).toEqual([17, 5, 9, 1, 2, 30, 31, 3, 4, 6, 7, 8].map(id));
    expect(body.filter((r) => r.category === '뮤지컬').map((r) => r.id)).toEqual([id(40)]);
  });

  it('when per_category is given, then up to that many per category come, within 1 to 1000', async () => {
    const { list, catalog } = await catalogWith([
      ...Array.from({ length: 5 }, (_, i) => run(i + 1)),
      ...Array.from({ length: 3 }, (_, i) => run(10 + i, { category: '연극' })),
    ]);

    expect((await list(2)).map((r) => r.category)).toEqual(['연극', '연극', '콘서트', '콘서트']);
    expect(await list(1000)).toHaveLength(8);
    for (const bad of [0, 1001, 1.5, Number.NaN]) await expect(catalog.thisWeekend(bad)).rejects.toThrow(/per_category/);
  });

  it('when a run overlaps the weekend, then it is listed; runs ended before, starting after or without a poster are not', async () => {
    const { list } = await catalogWith([
      run(1, { start_date: '2026.11.23', end_date: '2026.12.06' }),
      run(2, { start_date: '2026.11.29', end_date: '2026.11.29' }),
      run(3, { start_date: '2026.11.01', end_date: '2026.11.27' }),
      run(4, { start_date: '2026.11.30', end_date: '2026.12.27' }),
      run(5, { start_date: '2026.11.28', end_date: '2026.11.28', poster_url: null }),
      run(6, { start_date: '2025.01.01', end_date: '상시공연', category: '전시/행사' }),
    ]);

    expect((await list()).map((r) => r.id).sort()).toEqual([id(1), id(2), id(6)]);
  });

  it('when the 7-day ranking changes, then the next refresh reorders the list; until then the same body is served', async () => {
    const { catalog, views, list } = await catalogWith([run(1), run(2)]);
    const first = await catalog.thisWeekend();
    expect((await list()).map((r) => r.id)).toEqual([id(1), id(2)]);

    views.set(id(2), 3);
    expect(await catalog.thisWeekend()).toBe(first);
    await catalog.refresh();

    expect((await list()).map((r) => r.id)).toEqual([id(2), id(1)]);
    expect(await catalog.thisWeekend()).toBe(await catalog.thisWeekend());
  });

  it('when per_category rotates over many sizes, then each is the first N of every category cut from one body, and a size asked again is served as kept', async () => {
    const { catalog, list } = await catalogWith([
      ...Array.from({ length: 25 }, (_, i) => run(i + 1)),
      ...Array.from({ length: 10 }, (_, i) => run(100 + i, { category: '연극' })),
      ...Array.from({ length: 3 }, (_, i) => run(200 + i, { category: '뮤지컬' })),
    ]);
    const whole = await list(1000);
    const categories = [...new Set(whole.map((r) => r.category))];
    const firstOfEach = (n: number) => categories.flatMap((c) => whole.filter((r) => r.category === c).slice(0, n));

    const first = new Map<number, unknown>();
    for (let n = 1; n <= 30; n += 1) {
      expect(await list(n)).toEqual(firstOfEach(n));
      first.set(n, await catalog.thisWeekend(n));
    }
    for (let n = 1; n <= 30; n += 1) expect(await catalog.thisWeekend(n)).toBe(first.get(n));
    // every size from the longest category on is the whole body
    expect(await catalog.thisWeekend(25)).toBe(await catalog.thisWeekend(1000));
    const kept = await catalog.weekendCacheStats();
    expect(kept.entries).toBeLessThanOrEqual(23);
    expect(kept.bytes).toBeLessThan(16 * 1024 * 1024);
  });
});
