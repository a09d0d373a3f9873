import { copyFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { startTestService, type TestService } from '../../test-support/app.js';
import { dashboardTokens, END, EXPECTED, sendDashboardTraffic } from '../../test-support/dashboard-traffic.js';
import { type FakeKakao, startFakeKakao } from '../../test-support/fake-kakao.js';

describe('the admin dashboard API over a lake filled through the API', () => {
  let kakao: FakeKakao;
  let svc: TestService;
  let tokens: { admin: string; user: string };
  const get = async (url: string, token = tokens.admin) => svc.app.inject({ url, headers: { authorization: token } });
  const figures = async (url: string) => {
    const res = await get(url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Record<string, unknown>>();
  };

  beforeAll(async () => {
    kakao = await startFakeKakao();
    const clock = manualClock(END);
    svc = await startTestService(
      { KAKAO_CLIENT_ID: 'test-client', KAKAO_AUTH_BASE_URL: kakao.baseUrl, KAKAO_API_BASE_URL: kakao.baseUrl },
      { clock },
    );
    await sendDashboardTraffic(svc, clock);
    // Kafka can deliver a batch twice under another file name: the same events must count once
    const searchDir = path.join(svc.dataDir, 'lake', 'logs', 'Search_log');
    // (a redelivered batch starts with the same event, so its name carries the same time)
    const kafkaCopy = (dir: string, file: string, partition: number) =>
      copyFileSync(path.join(dir, file), path.join(dir, `${file.slice(0, 19)}-kafka-p${partition}-o000000000000.parquet`));
    const [file] = readdirSync(searchDir).sort();
    kafkaCopy(searchDir, file!, 0);
    const likeDir = path.join(svc.dataDir, 'lake', 'logs', 'Like_log');
    for (const likeFile of readdirSync(likeDir)) kafkaCopy(likeDir, likeFile, 1);
    tokens = await dashboardTokens(svc);
  });
  afterAll(async () => {
    await svc?.close();
    await kakao?.close();
  });

  it('when no token is sent, then every figure answers 401', async () => {
    for (const figure of ['activity', 'searches', 'views', 'accounts', 'likes', 'pending']) {
      const res = await svc.app.inject({ url: `/admin/api/${figure}` });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toHaveProperty('detail');
    }
  });

  it('when a regular account asks, then it gets 403 and no figures', async () => {
    for (const figure of ['activity', 'searches', 'views', 'accounts', 'likes', 'pending']) {
      const res = await get(`/admin/api/${figure}?from=bad`, tokens.user);
      expect(res.statusCode).toBe(403);
      expect(Object.keys(res.json<object>())).toEqual(['detail']);
    }
  });

  it('when an admin asks without a range, then the last 7 KST days are counted, each event once', async () => {
    expect((await get('/admin/api/activity')).headers['cache-control']).toBe('no-store');
    const activity = await figures('/admin/api/activity');
    expect(activity.from).toBe('2026-11-21');
    expect(activity.to).toBe('2026-11-27');
    expect(activity.events_per_day).toEqual(EXPECTED.events_per_day);
    expect(activity.active_users).toEqual(EXPECTED.active_users);
    expect(activity.devices).toEqual(EXPECTED.devices);
    const hours = activity.hours as { day: string; hour: number; events: number }[];
    expect(hours).toHaveLength(7 * 24);
    expect(hours.filter((h) => h.events > 0)).toEqual(EXPECTED.busyHours);
  });

  it('when an admin reads the searches, then top keywords and the keywords that found nothing come with their counts', async () => {
    expect(await figures('/admin/api/searches')).toEqual({
      from: '2026-11-21',
      to: '2026-11-27',
      searches: EXPECTED.searches,
      no_result_searches: EXPECTED.no_result_searches,
      top_keywords: EXPECTED.top_keywords,
      no_result_keywords: EXPECTED.no_result_keywords,
    });
    const top2 = await figures('/admin/api/searches?limit=2');
    expect(top2.top_keywords).toEqual(EXPECTED.top_keywords.slice(0, 2));
  });

  it('when an admin reads the views, then runs, categories and vendor shares are counted from the viewed runs', async () => {
    expect(await figures('/admin/api/views')).toEqual({
      from: '2026-11-21',
      to: '2026-11-27',
      synthetic_views: { shown: false, events: 0 },
      views: EXPECTED.views,
      top_runs: EXPECTED.top_runs,
      categories: EXPECTED.categories,
      vendors: EXPECTED.vendors,
    });
  });

  it('when an admin reads the accounts, then sign-ups, logins, Kakao logins, failures and the funnel match', async () => {
    expect(await figures('/admin/api/accounts')).toEqual({
      from: '2026-11-21',
      to: '2026-11-27',
      per_day: EXPECTED.per_day,
      funnel: EXPECTED.funnel,
    });
  });

  it('when an admin reads the likes, then likes and unlikes per day and the runs with the most net likes match, each event once', async () => {
    expect(await figures('/admin/api/likes')).toEqual({
      from: '2026-11-21',
      to: '2026-11-27',
      likes: EXPECTED.likes,
      unlikes: EXPECTED.unlikes,
      per_day: EXPECTED.likes_per_day,
      top_runs: EXPECTED.liked_runs,
    });
    expect((await figures('/admin/api/likes?limit=1')).top_runs).toEqual(EXPECTED.liked_runs.slice(0, 1));
    // the 27th alone: A liked once and unliked once nets nothing
    expect(await figures('/admin/api/likes?from=2026-11-27&to=2026-11-27')).toMatchObject({
      likes: 3,
      unlikes: 1,
      top_runs: [{ ticket_id: EXPECTED.liked_runs[0]!.ticket_id, likes: 2, unlikes: 0, net_likes: 2 }],
    });
  });

  it('when a range is given, then only its KST days count (the day before the default range holds one search)', async () => {
    const before = await figures('/admin/api/searches?from=2026-11-20&to=2026-11-20');
    expect(before).toMatchObject({ searches: 1, no_result_searches: 1, no_result_keywords: [{ keyword: 'old', searches: 1 }] });
    const accounts = await figures('/admin/api/accounts?from=2026-11-26&to=2026-11-27');
    // moa2026 signed up on the 25th: outside this range, so the funnel has only second01
    expect(accounts.funnel).toEqual({ signups: 1, logged_in: 0, rate: 0, median_minutes_to_first_login: null });
  });

  it('when the range is malformed, reversed or too long, then the answer is 422', async () => {
    for (const query of [
      'from=2026-02-30',
      'to=27.11.2026',
      'from=2026-11-27&to=2026-11-01',
      'from=2025-01-01&to=2026-11-27',
      'limit=0',
      'limit=201',
    ]) {
      const res = await get(`/admin/api/searches?${query}`);
      expect(res.statusCode, query).toBe(422);
    }
  });

  it('when a day of the range is absurd (year 9999, year 100, before 2000), then every figure answers 422 naming the field, not 503', async () => {
    for (const [query, field] of [
      ['to=9999-12-31', 'querystring.to'],
      ['from=9999-12-25&to=9999-12-31', 'querystring.to'],
      ['from=0100-01-01', 'querystring.from'],
      ['from=1999-12-31&to=2000-01-02', 'querystring.from'],
    ]) {
      for (const figure of ['activity', 'searches', 'views', 'accounts', 'likes']) {
        const res = await get(`/admin/api/${figure}?${query}`);
        expect(res.statusCode, `${figure}?${query}: ${res.body}`).toBe(422);
        expect(res.json(), query).toMatchObject({ detail: expect.stringContaining(field!), errors: [{ field, message: expect.any(String) }] });
      }
    }
  });

  it('when the figures are described, then every admin endpoint is in the OpenAPI document', async () => {
    const doc = (await svc.app.inject({ url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/admin'))).toEqual([
      '/admin/api/activity',
      '/admin/api/searches',
      '/admin/api/views',
      '/admin/api/accounts',
      '/admin/api/likes',
      '/admin/api/pending',
    ]);
  });
});
