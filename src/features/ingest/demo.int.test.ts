import { afterEach, describe, expect, it } from 'vitest';
import { readEventFile } from '../../pipeline/index.js';
import { startTestService, type TestService } from '../../test-support/app.js';
import { makeRun } from '../../test-support/runs.js';
import { DEMO_RUNS, loadDemoIfEmpty } from './demo.js';
import { DEMO_VIEW_DEVICE } from './demo-views.js';

const NOW = '2026-11-27T09:00:00+09:00';

/** The original frontend's "this weekend" tabs and the categories each shows. */
const TABS: Record<string, readonly string[]> = {
  콘서트: ['콘서트'],
  '뮤지컬/연극': ['뮤지컬', '연극', '뮤지컬/연극'],
  '전시/행사': ['전시/행사'],
};

interface Item {
  id: string;
  category: string;
  poster_url: string;
  start_date: string;
  end_date: string;
}

describe('the demo catalogue on start', () => {
  let service: TestService | undefined;
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });

  const demoFor = async (s: TestService, withViews = false) =>
    loadDemoIfEmpty({
      enabled: s.container.config.demo,
      store: s.container.stores.performances,
      clock: s.container.clock,
      ...(withViews ? { lake: s.container.lake } : {}),
    });

  it('when the database is empty, then a demo catalogue around today is loaded and served', async () => {
    service = await startTestService({ TICKETMOA_DEMO: '1', TICKETMOA_NOW: NOW });
    expect(await demoFor(service)).toEqual({ loaded: true, runs: DEMO_RUNS, today: '2026.11.27' });
    await service.container.catalog.refresh();
    const banner = await service.app.inject({ url: '/banner' });
    expect(banner.json<{ start_date: string }[]>()).toHaveLength(11);
    expect(banner.json<{ start_date: string }[]>()[0]!.start_date > '2026.11.27').toBe(true);
  });

  // A Friday morning; Saturday; late on a Sunday; the last evening of a year (its weekend is in
  // the next one); the first minutes of a month in KST, still the previous day in UTC.
  it.each([
    '2026-11-27T09:00:00+09:00',
    '2026-11-28T12:00:00+09:00',
    '2026-11-29T22:30:00+09:00',
    '2026-12-31T23:30:00+09:00',
    '2027-03-01T00:10:00+09:00',
  ])("when started at %s, then /this_weekend fills each of the frontend tabs with runs still ahead, with the service's posters", async (now) => {
    service = await startTestService({ TICKETMOA_DEMO: '1', TICKETMOA_NOW: now, PUBLIC_URL: 'https://tickets.example.com' });
    await demoFor(service);
    await service.container.catalog.refresh();
    const today = service.container.catalog.today();
    const items = (await service.app.inject({ url: '/this_weekend' })).json<Item[]>();
    for (const [tab, categories] of Object.entries(TABS)) {
      const shown = items.filter((i) => categories.includes(i.category) && (i.end_date === '상시공연' || i.end_date >= today));
      expect(shown.length, tab).toBeGreaterThanOrEqual(4);
    }
    for (const item of items) expect(item.poster_url).toMatch(new RegExp(`^https://tickets\\.example\\.com/posters/${item.id}\\?v=[0-9a-f]{8}$`));
  });

  it('when given the lake, then a marked synthetic view log is written, and the popular job ranks from it', async () => {
    service = await startTestService({ TICKETMOA_DEMO: '1', TICKETMOA_NOW: NOW });
    const outcome = await demoFor(service, true);
    expect(outcome).toMatchObject({ loaded: true, viewLog: { key: expect.stringMatching(/^logs\/View_detail_log\/.*-demo-p0-o0+\.parquet$/) } });
    const { key, views } = (outcome as { viewLog: { key: string; views: number } }).viewLog;
    const events = (await readEventFile(service.container.lake, key)) ?? [];
    expect(events).toHaveLength(views);
    expect(views).toBeGreaterThan(500);
    expect(events.every((e) => e.device === DEMO_VIEW_DEVICE && e.user_id === 'anonymous')).toBe(true);
    const nowMs = Date.parse(NOW);
    expect(events.every((e) => Date.parse(e.timestamp as string) <= nowMs && Date.parse(e.timestamp as string) > nowMs - 7 * 86_400_000)).toBe(true);

    expect(await service.container.jobs.popular.run()).toMatchObject({ status: 'ran', summary: { eventsCounted: views } });
    const popular = (await service.app.inject({ url: '/popular' })).json<Item[]>();
    expect(popular).toHaveLength(8);
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.ticket_id as string, (counts.get(e.ticket_id as string) ?? 0) + 1);
    const byViews = popular.map((p) => counts.get(p.id)!);
    expect(byViews).toEqual([...byViews].sort((a, b) => b - a));
    expect((await service.app.inject({ url: '/popular?window=7d' })).json<Item[]>()).toHaveLength(8);
  });

  it('when TICKETMOA_DEMO=0, then nothing is loaded', async () => {
    service = await startTestService({ TICKETMOA_DEMO: '0', TICKETMOA_NOW: NOW });
    expect(await demoFor(service)).toEqual({ loaded: false, reason: 'disabled' });
    expect(await service.container.stores.performances.count()).toBe(0);
  });

  it('when the database already holds runs, then it is left alone', async () => {
    service = await startTestService({ TICKETMOA_DEMO: '1', TICKETMOA_NOW: NOW });
    await service.container.stores.performances.upsertMany([makeRun()]);
    expect(await demoFor(service, true)).toEqual({ loaded: false, reason: 'not-empty' });
    expect(await service.container.stores.performances.count()).toBe(1);
    expect(await service.container.lake.list('logs/')).toEqual([]);
  });
});
