import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { putEventFile, type LoggedEvent } from '../../pipeline/index.js';
import { signupBody, PASSWORD } from '../../test-support/accounts.js';
import { startTestService, type TestService } from '../../test-support/app.js';
import { DEMO_VIEW_DEVICE, DEMO_VIEW_SOURCE } from '../ingest/index.js';

const NOW = '2026-11-27T21:00:00.000+09:00';
const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36';
const RUN_A = 'eeeeeeeeeeeeeeeeeeee000a';
const RUN_B = 'eeeeeeeeeeeeeeeeeeee000b';

let n = 0;
const view = (at: string, ticketId: string, device: string): LoggedEvent =>
  ({
    event_id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    topic: 'View_detail_log',
    action: 'view_detail',
    user_id: 'anonymous',
    device,
    timestamp: at,
    ticket_id: ticketId,
    title: ticketId === RUN_A ? '오페라의 유령' : '맘마미아',
    category: '뮤지컬',
  }) as LoggedEvent;

describe('the dashboard: what is not in the lake yet, and the demo views switch', () => {
  const clock = manualClock(NOW);
  let svc: TestService;
  let admin: string;
  const get = async (url: string) => {
    const res = await svc.app.inject({ url, headers: { authorization: admin } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Record<string, unknown>>();
  };

  beforeAll(async () => {
    svc = await startTestService({ ADMIN_CACHE_SECONDS: '0' }, { clock });
    expect((await svc.app.inject({ method: 'POST', url: '/signup/signup', payload: signupBody({ id: 'newbie1' }) })).statusCode).toBe(200);
    await svc.container.accounts.setAdmin('newbie1', true);
    const login = await svc.app.inject({ method: 'POST', url: '/auth/login', payload: { id: 'newbie1', password: PASSWORD } });
    admin = login.json<{ access_token: string }>().access_token;
    for (const keyword of ['유령', '맘마']) expect((await svc.app.inject(`/search?keyword=${encodeURIComponent(keyword)}`)).statusCode).toBe(200);
    // one real view on the 25th, and five of the demo's marked synthetic views on the 25th and 26th
    await putEventFile(
      svc.container.lake,
      { topic: 'View_detail_log', source: 'test', partition: 0, firstOffset: 1, firstTimestamp: '2026-11-25T10:00:00.000+09:00' },
      [view('2026-11-25T10:00:00.000+09:00', RUN_A, DESKTOP)],
    );
    await putEventFile(
      svc.container.lake,
      { topic: 'View_detail_log', source: DEMO_VIEW_SOURCE, partition: 0, firstOffset: 0, firstTimestamp: '2026-11-25T11:00:00.000+09:00' },
      [
        view('2026-11-25T11:00:00.000+09:00', RUN_A, DEMO_VIEW_DEVICE),
        view('2026-11-25T12:00:00.000+09:00', RUN_A, DEMO_VIEW_DEVICE),
        view('2026-11-25T13:00:00.000+09:00', RUN_A, DEMO_VIEW_DEVICE),
        view('2026-11-26T09:00:00.000+09:00', RUN_B, DEMO_VIEW_DEVICE),
        view('2026-11-26T09:30:00.000+09:00', RUN_B, DEMO_VIEW_DEVICE),
      ],
    );
  });
  afterAll(() => svc?.close());

  const RANGE = 'from=2026-11-25&to=2026-11-26';

  it('when the switch is left alone, then the synthetic views are left out of the views and the activity, and counted apart', async () => {
    const views = await get(`/admin/api/views?${RANGE}`);
    expect(views).toEqual({
      from: '2026-11-25',
      to: '2026-11-26',
      synthetic_views: { shown: false, events: 5 },
      views: 1,
      top_runs: [{ ticket_id: RUN_A, title: '오페라의 유령', category: '뮤지컬', views: 1 }],
      categories: [{ category: '뮤지컬', views: 1 }],
      vendors: [{ site_id: null, name: '카탈로그에 없음', views: 1, share: 1 }],
    });
    expect(await get(`/admin/api/views?${RANGE}&synthetic_views=exclude`)).toEqual(views);
    const activity = await get(`/admin/api/activity?${RANGE}`);
    expect(activity.synthetic_views).toEqual({ shown: false, events: 5 });
    expect((activity.events_per_day as { day: string; total: number }[]).map((d) => [d.day, d.total])).toEqual([
      ['2026-11-25', 1],
      ['2026-11-26', 0],
    ]);
    expect(activity.devices).toEqual([
      { device: 'mobile', events: 0 },
      { device: 'desktop', events: 1 },
      { device: 'other', events: 0 },
    ]);
  });

  it('when synthetic_views=include, then they count like the real view', async () => {
    expect(await get(`/admin/api/views?${RANGE}&synthetic_views=include`)).toEqual({
      from: '2026-11-25',
      to: '2026-11-26',
      synthetic_views: { shown: true, events: 5 },
      views: 6,
      top_runs: [
        { ticket_id: RUN_A, title: '오페라의 유령', category: '뮤지컬', views: 4 },
        { ticket_id: RUN_B, title: '맘마미아', category: '뮤지컬', views: 2 },
      ],
      categories: [{ category: '뮤지컬', views: 6 }],
      vendors: [{ site_id: null, name: '카탈로그에 없음', views: 6, share: 1 }],
    });
    const activity = await get(`/admin/api/activity?${RANGE}&synthetic_views=include`);
    expect(activity.synthetic_views).toEqual({ shown: true, events: 5 });
    expect(
      (activity.events_per_day as { day: string; total: number; topics: Record<string, number> }[]).map((d) => [
        d.day,
        d.total,
        d.topics.View_detail_log,
      ]),
    ).toEqual([
      ['2026-11-25', 4, 4],
      ['2026-11-26', 2, 2],
    ]);
    expect(activity.devices).toEqual([
      { device: 'mobile', events: 0 },
      { device: 'desktop', events: 1 },
      { device: 'other', events: 5 },
    ]);
    // the 26th alone holds only synthetic views
    expect(await get('/admin/api/views?from=2026-11-26&to=2026-11-26')).toMatchObject({
      views: 0,
      top_runs: [],
      synthetic_views: { shown: false, events: 2 },
    });
  });

  it('when the switch has another value, then the answer is 422', async () => {
    for (const figure of ['activity', 'views']) {
      const res = await svc.app.inject({ url: `/admin/api/${figure}?synthetic_views=maybe`, headers: { authorization: admin } });
      expect(res.statusCode, figure).toBe(422);
      expect(res.json()).toMatchObject({ errors: [{ field: 'querystring.synthetic_views' }] });
    }
  });

  it('when no sink runs in this process, then the outbox backlog is what is not in the lake and the sink is elsewhere', async () => {
    const pending = await get('/admin/api/pending');
    expect(pending).toEqual({
      at: '2026-11-27T12:00:00.000Z',
      bus: 'embedded',
      sink: 'elsewhere',
      not_in_lake: 4,
      outbox: {
        events: 4,
        oldest_event_at: NOW,
        topics: {
          Search_log: 2,
          View_detail_log: 0,
          Signup_log: 1,
          Validate: 0,
          Login_log: 1,
          Logout_log: 0,
          KakaoLogin_log: 0,
          KakaoLogout_log: 0,
          Like_log: 0,
        },
      },
      sink_buffers: null,
    });
  });

  it('when the sink of serve holds the events, then the page learns when they are written, and after 5 s they are in the figures', async () => {
    const sink = await svc.container.pipeline.startSink();
    try {
      await vi.waitFor(() => expect(sink.buffered()).toBe(4), { timeout: 5000 });
      clock.advance(3000);
      const pending = await get('/admin/api/pending');
      expect(pending).toMatchObject({ sink: 'this-process', not_in_lake: 4, outbox: { events: 4 } });
      expect(pending.sink_buffers).toEqual({
        events: 4,
        max_events: 1000,
        max_age_ms: 5000,
        next_write_at: '2026-11-27T12:00:05.000Z',
        next_write_in_ms: 2000,
        topics: ['Login_log', 'Search_log', 'Signup_log'].map((topic) => ({
          topic,
          events: topic === 'Search_log' ? 2 : 1,
          waiting_since: '2026-11-27T12:00:00.000Z',
          write_at: '2026-11-27T12:00:05.000Z',
          write_in_ms: 2000,
        })),
      });
      clock.advance(2000);
      await sink.flushOld();
      expect(await get('/admin/api/pending')).toMatchObject({
        not_in_lake: 0,
        outbox: { events: 0, oldest_event_at: null },
        sink_buffers: { events: 0, next_write_at: null, next_write_in_ms: null, topics: [] },
      });
      const today = (await get('/admin/api/activity?from=2026-11-27&to=2026-11-27')).events_per_day as { topics: Record<string, number> }[];
      expect(today[0]!.topics).toMatchObject({ Signup_log: 1, Login_log: 1, Search_log: 2 });
    } finally {
      await sink.stop();
    }
    // a separate `ticketmoa sink` keeps the hour on the same settings
    const standalone = await svc.container.pipeline.startSink({ standalone: true });
    expect(standalone.flushRule).toEqual({ maxEvents: 1000, maxAgeMs: 3_600_000 });
    expect((await get('/admin/api/pending')).sink_buffers).toMatchObject({ max_age_ms: 3_600_000, events: 0 });
    await standalone.stop();
    expect(await get('/admin/api/pending')).toMatchObject({ sink: 'elsewhere', sink_buffers: null });
  });

  it('when no admin asks, then what is waiting is not shown', async () => {
    expect((await svc.app.inject('/admin/api/pending')).statusCode).toBe(401);
  });
});
