import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { startTestService, type TestService } from '../../test-support/app.js';
import { dashboardTokens, END, EXPECTED, sendDashboardTraffic } from '../../test-support/dashboard-traffic.js';
import { type FakeKakao, startFakeKakao } from '../../test-support/fake-kakao.js';
import { startTestS3, type TestS3 } from '../../test-support/s3.js';

describe('the admin dashboard over an S3 lake (s3rver)', () => {
  let s3: TestS3;
  let kakao: FakeKakao;
  let svc: TestService;
  let admin: string;
  let lake: ReturnType<TestS3['lake']>;

  beforeAll(async () => {
    s3 = await startTestS3();
    kakao = await startFakeKakao();
    const clock = manualClock(END);
    lake = s3.lake('events');
    // the lake the sink writes and the dashboard reads, as LAKE_URL=s3://… would give them
    svc = await startTestService(
      { KAKAO_CLIENT_ID: 'test-client', KAKAO_AUTH_BASE_URL: kakao.baseUrl, KAKAO_API_BASE_URL: kakao.baseUrl },
      { clock, lake },
    );
    await sendDashboardTraffic(svc, clock);
    admin = (await dashboardTokens(svc)).admin;
  });
  afterAll(async () => {
    await svc?.close();
    lake?.close();
    await kakao?.close();
    await s3?.close();
  });

  it('when an admin reads the figures, then they come from local copies of the bucket and match the file lake', async () => {
    const get = async (figure: string) => {
      const res = await svc.app.inject({ url: `/admin/api/${figure}`, headers: { authorization: admin } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<Record<string, unknown>>();
    };
    expect(await get('searches')).toMatchObject({ searches: EXPECTED.searches, no_result_keywords: EXPECTED.no_result_keywords });
    expect(await get('views')).toMatchObject({ views: EXPECTED.views, vendors: EXPECTED.vendors });
    expect(await get('accounts')).toMatchObject({ funnel: EXPECTED.funnel });
    expect((await get('activity')).events_per_day).toEqual(EXPECTED.events_per_day);
    const copies = path.join(svc.dataDir, 'lake-cache', 'logs');
    expect(readdirSync(path.join(copies, 'Search_log'))).toHaveLength(1);
  });
});
