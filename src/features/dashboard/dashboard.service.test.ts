import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import type { PerformanceSummary } from '../catalog/index.js';
import { type AnalyticsEngine, AnalyticsUnavailable, type InstantRange, type LikeRows, type ViewRows } from './analytics-engine.js';
import { DashboardService } from './dashboard.service.js';

const NOW = fixedClock('2026-11-27T21:00:00+09:00');

function fakeEngine(views: ViewRows = { runs: [], perCategory: [] }, likes: LikeRows = { perDay: [], runs: [] }) {
  const calls: InstantRange[] = [];
  const likeLimits: number[] = [];
  let fail: Error | undefined;
  const engine: AnalyticsEngine = {
    activity: async (range) => {
      calls.push(range);
      if (fail) throw fail;
      return {
        eventsPerDay: [{ day: '2026-11-25', topic: 'Search_log', events: 3 }],
        activeUsers: [],
        devices: [{ device: 'mobile', events: 3 }],
        hours: [],
      };
    },
    searches: async () => ({ searches: 0, noResultSearches: 0, topKeywords: [], noResultKeywords: [] }),
    views: async () => views,
    accounts: async () => ({ perDay: [], funnel: { signups: 0, loggedIn: 0, medianMinutesToFirstLogin: null } }),
    likes: async (_range, limit) => {
      likeLimits.push(limit);
      return likes;
    },
    close: async () => undefined,
  };
  return { engine, calls, likeLimits, failWith: (e: Error | undefined) => (fail = e) };
}

const summary = (id: string, sites: number[], title = `run ${id}`): PerformanceSummary => ({
  id,
  title,
  category: '뮤지컬',
  location: null,
  region: null,
  poster_url: null,
  start_date: '2026.12.01',
  end_date: '2026.12.31',
  sites,
  hasTicketUrl: true,
  artistNames: [],
});

describe('the dashboard service', () => {
  it('when the same figure is asked again within the cache time, then the lake is read once; after it, again', async () => {
    let ms = 1_000; // lru-cache takes a start of 0 for "no expiry"
    const { engine, calls } = fakeEngine();
    const service = new DashboardService({ engine, catalog: { summaryOf: () => undefined }, clock: NOW, cacheMs: 60_000, monotonicMs: () => ms });
    await Promise.all([service.activity({}), service.activity({})]);
    await service.activity({ from: '2026-11-21', to: '2026-11-27' }); // the same days, spelled out
    expect(calls).toHaveLength(1);
    ms = 62_000;
    await service.activity({});
    expect(calls).toHaveLength(2);
  });

  it('when the sink in this process writes a file, then the next answer reads the lake again, within the cache time', async () => {
    let written = 0;
    const { engine, calls } = fakeEngine();
    const service = new DashboardService({
      engine,
      catalog: { summaryOf: () => undefined },
      clock: NOW,
      cacheMs: 60_000,
      monotonicMs: () => 1_000,
      lakeWrites: () => written,
    });
    await service.activity({});
    await service.activity({});
    expect(calls).toHaveLength(1);
    written = 1;
    await service.activity({});
    await service.activity({});
    expect(calls).toHaveLength(2);
  });

  it('when every day of the range is listed, then quiet days and every topic and device come with zeros', async () => {
    const service = new DashboardService({ engine: fakeEngine().engine, catalog: { summaryOf: () => undefined }, clock: NOW, cacheMs: 0 });
    const a = await service.activity({});
    expect(a.events_per_day).toHaveLength(7);
    expect(a.events_per_day[4]).toMatchObject({ day: '2026-11-25', total: 3, topics: { Search_log: 3, Validate: 0 } });
    expect(a.events_per_day[0]!.total).toBe(0);
    expect(a.devices).toEqual([
      { device: 'mobile', events: 3 },
      { device: 'desktop', events: 0 },
      { device: 'other', events: 0 },
    ]);
    expect(a.hours).toHaveLength(7 * 24);
  });

  it('when the lake cannot be read in time, then the answer is a 503 and the failure is not cached', async () => {
    const fake = fakeEngine();
    const service = new DashboardService({
      engine: fake.engine,
      catalog: { summaryOf: () => undefined },
      clock: NOW,
      cacheMs: 60_000,
      monotonicMs: () => 0,
    });
    fake.failWith(new AnalyticsUnavailable('timeout', 'took longer than 20000 ms'));
    await expect(service.activity({})).rejects.toMatchObject({ statusCode: 503, detail: 'took longer than 20000 ms', extra: { reason: 'timeout' } });
    fake.failWith(undefined);
    await expect(service.activity({})).resolves.toMatchObject({ from: '2026-11-21' });
  });

  it('when views are shared by vendor, then a run counts for each vendor selling it and runs gone from the catalogue are shown apart', async () => {
    const runs = [
      { ticketId: 'a', title: 'old title', category: '뮤지컬', views: 6 },
      { ticketId: 'b', title: '지워진 공연', category: '연극', views: 2 },
      { ticketId: 'c', title: 'c', category: '콘서트', views: 2 },
    ];
    const catalog = new Map([
      ['a', summary('a', [1, 2], '새 제목')],
      ['c', summary('c', [7])],
    ]);
    const service = new DashboardService({
      engine: fakeEngine({ runs, perCategory: [] }).engine,
      catalog: { summaryOf: (id) => catalog.get(id) },
      clock: NOW,
      cacheMs: 0,
    });
    const v = await service.views({ limit: 2 });
    expect(v.views).toBe(10);
    expect(v.top_runs.map((r) => [r.ticket_id, r.title])).toEqual([
      ['a', '새 제목'],
      ['b', '지워진 공연'],
    ]);
    expect(v.vendors).toEqual([
      { site_id: 1, name: '인터파크 티켓', views: 6, share: 0.6 },
      { site_id: 2, name: '예스24 티켓', views: 6, share: 0.6 },
      { site_id: 7, name: '판매처 7', views: 2, share: 0.2 },
      { site_id: null, name: '카탈로그에 없음', views: 2, share: 0.2 },
    ]);
  });

  it('when likes are shown, then every day of the range is listed, totals add up, ten runs by default and titles come from the catalogue', async () => {
    const likes: LikeRows = {
      perDay: [
        { day: '2026-11-24', likes: 3, unlikes: 1 },
        { day: '2026-11-27', likes: 2, unlikes: 0 },
      ],
      runs: [
        { ticketId: 'a', title: 'old title', category: '뮤지컬', likes: 4, unlikes: 1, net: 3 },
        { ticketId: 'gone', title: null, category: null, likes: 1, unlikes: 0, net: 1 },
      ],
    };
    const fake = fakeEngine(undefined, likes);
    const catalog = new Map([['a', summary('a', [1], '새 제목')]]);
    const service = new DashboardService({ engine: fake.engine, catalog: { summaryOf: (id) => catalog.get(id) }, clock: NOW, cacheMs: 0 });
    const l = await service.likes({});
    expect(fake.likeLimits).toEqual([10]);
    expect(l).toMatchObject({ from: '2026-11-21', to: '2026-11-27', likes: 5, unlikes: 1 });
    expect(l.per_day).toHaveLength(7);
    expect(l.per_day[3]).toEqual({ day: '2026-11-24', likes: 3, unlikes: 1 });
    expect(l.per_day[0]).toEqual({ day: '2026-11-21', likes: 0, unlikes: 0 });
    expect(l.top_runs).toEqual([
      { ticket_id: 'a', title: '새 제목', category: '뮤지컬', likes: 4, unlikes: 1, net_likes: 3 },
      { ticket_id: 'gone', title: 'gone', category: '', likes: 1, unlikes: 0, net_likes: 1 },
    ]);
  });
});
