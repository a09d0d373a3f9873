import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesForRange, type Lake, type LakeObject } from '../../pipeline/index.js';
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
  /** Objects the bucket's listing shows on top of the real ones (S3 accepts keys s3rver cannot store), and the real key each one reads. */
  const extra = new Map<string, string>();
  const logLines: { msg?: string; key?: string }[] = [];

  beforeAll(async () => {
    s3 = await startTestS3();
    kakao = await startFakeKakao();
    const clock = manualClock(END);
    lake = s3.lake('events');
    const listed: Lake = {
      put: (key, body) => lake.put(key, body),
      putFile: (key, file) => lake.putFile(key, file),
      delete: (key) => lake.delete(key),
      get: (key) => lake.get(extra.get(key) ?? key),
      list: async (prefix) => {
        const real = await lake.list(prefix);
        const more: LakeObject[] = [];
        for (const [key, source] of extra) {
          const size = real.find((o) => o.key === source)?.size;
          if (key.startsWith(prefix) && size !== undefined) more.push({ key, size });
        }
        return [...real, ...more];
      },
    };
    const log = pino(
      { level: 'warn' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          logLines.push(JSON.parse(chunk.toString()) as (typeof logLines)[number]);
          done();
        },
      }),
    );
    // the lake the sink writes and the dashboard reads, as LAKE_URL=s3://… would give them
    svc = await startTestService(
      { KAKAO_CLIENT_ID: 'test-client', KAKAO_AUTH_BASE_URL: kakao.baseUrl, KAKAO_API_BASE_URL: kakao.baseUrl },
      { clock, lake: listed, log },
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
    expect(await get('likes')).toMatchObject({ likes: EXPECTED.likes, per_day: EXPECTED.likes_per_day, top_runs: EXPECTED.liked_runs });
    const copies = path.join(svc.dataDir, 'lake-cache', 'logs');
    // copies of the files that can hold the default range's events (by name), and of no other
    const range = { start: new Date('2026-11-21T00:00:00+09:00'), end: new Date('2026-11-28T00:00:00+09:00') };
    for (const topic of ['Search_log', 'Like_log'] as const) {
      const picked = filesForRange(await lake.list(`logs/${topic}/`), range).map((o) => path.basename(o.key));
      expect(picked.length).toBeGreaterThan(0);
      expect(readdirSync(path.join(copies, topic)).sort()).toEqual(picked.sort());
    }
  });

  it('when the listing holds a key with ".." segments, then it is skipped with a warning and nothing outside the copy folder is written or deleted', async () => {
    const [real] = await lake.list('logs/Search_log/');
    // joined to <data>/lake-cache, this key names <data>/escaped.parquet
    const escaping = 'logs/Search_log/../../../escaped.parquet';
    extra.set(escaping, real!.key);
    extra.set('logs/Search_log//double-slash.parquet', real!.key);
    const outside = path.join(svc.dataDir, 'escaped.parquet');
    writeFileSync(outside, 'an operator file');
    // another list length than the first test's: not a cached answer
    const res = await svc.app.inject({ url: '/admin/api/searches?limit=19', headers: { authorization: admin } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ searches: EXPECTED.searches });
    expect(readFileSync(outside, 'utf8')).toBe('an operator file');
    expect(readdirSync(svc.dataDir).filter((f) => f.endsWith('.parquet'))).toEqual(['escaped.parquet']);
    expect(existsSync(path.join(svc.dataDir, 'lake-cache', 'logs', 'Search_log', 'double-slash.parquet'))).toBe(false);
    const warned = logLines.filter((l) => l.msg?.includes('skips a lake object')).map((l) => l.key);
    expect(warned.sort()).toEqual([escaping, 'logs/Search_log//double-slash.parquet'].sort());
  });
});
