import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, login, signupBody } from '../test-support/accounts.js';
import { startTestService, type TestService } from '../test-support/app.js';
import { LAKE_COLUMN_TYPES, openDuckDb, sqlString, type DuckDb } from '../test-support/duckdb.js';
import { type FakeKakao, kakaoTicket, startFakeKakao } from '../test-support/fake-kakao.js';
import { makeRun } from '../test-support/runs.js';
import { TOPICS, type Topic } from './events.js';
import { topicPrefix } from './lake/layout.js';

describe('the lake the embedded pipeline writes, read by DuckDB', () => {
  let kakao: FakeKakao;
  let svc: TestService;
  let duck: DuckDb;
  const filesOf = (topic: Topic) => sqlString(path.join(svc.dataDir, 'lake', ...topicPrefix(topic).split('/'), '*.parquet'));

  beforeAll(async () => {
    kakao = await startFakeKakao();
    svc = await startTestService({
      TICKETMOA_NOW: '2026-11-27T21:15:30+09:00',
      KAKAO_CLIENT_ID: 'test-client',
      KAKAO_AUTH_BASE_URL: kakao.baseUrl,
      KAKAO_API_BASE_URL: kakao.baseUrl,
    });
    const run = makeRun({ title: '레미제라블', category: '뮤지컬' });
    await svc.container.stores.performances.upsertMany([run]);
    await svc.container.catalog.refresh();
    const ua = { 'user-agent': 'Mozilla/5.0 (iPhone)' };
    const inject = async (opts: InjectOptions) => {
      const res = await svc.app.inject(opts);
      if (res.statusCode >= 500) throw new Error(`${res.statusCode} ${res.body}`);
      return res;
    };
    await inject({ url: `/search?keyword=${encodeURIComponent('레미')}&category=${encodeURIComponent('뮤지컬')}`, headers: ua });
    await inject({ url: `/detail/${run._id}`, headers: ua });
    await inject({ method: 'POST', url: '/signup/check-id', payload: { id: 'moa2026' }, headers: ua });
    await inject({ method: 'POST', url: '/signup/signup', payload: signupBody(), headers: ua });
    await inject({ method: 'POST', url: '/auth/login', payload: { id: 'moa2026', password: 'wrong' }, headers: ua });
    const { access_token } = (await login(svc, 'moa2026', PASSWORD)).json();
    await inject({ url: '/search?keyword=x', headers: { ...ua, authorization: access_token } });
    await inject({ method: 'POST', url: '/auth/logout', headers: { ...ua, authorization: access_token } });
    const kakaoToken = (await inject({ url: `/kakao/getToken?code=${await kakaoTicket(inject, undefined, ua)}`, headers: ua })).json().access_token;
    await inject({ method: 'POST', url: '/kakao/logout', headers: { ...ua, authorization: kakaoToken } });
    // no like route in this branch: what a like records, through the same recorder
    svc.container.events.record(
      'Like_log',
      'like',
      { user_id: 'moa2026', device: ua['user-agent'], gender: 'F', birth_year: 1995 },
      { ticket_id: run._id, title: run.title, category: run.category, status: 'changed' },
    );
    await svc.container.events.durable?.();

    const sink = await svc.container.pipeline.startSink();
    await sink.stop(); // a graceful stop writes every buffer
    duck = await openDuckDb();
  });
  afterAll(async () => {
    duck?.close();
    await svc?.close();
    await kakao?.close();
  });

  it.each([...TOPICS])('when %s files are opened, then they have exactly the documented columns and types', async (topic) => {
    expect(await duck.types(`SELECT * FROM read_parquet(${filesOf(topic)})`)).toEqual(LAKE_COLUMN_TYPES[topic]);
    const [{ n }] = (await duck.all(`SELECT count(*)::INTEGER AS n FROM read_parquet(${filesOf(topic)})`)) as [{ n: number }];
    expect(n).toBeGreaterThan(0);
  });

  it('when an analyst queries the searches, then keyword, counts, KST time and demographics come back as recorded', async () => {
    const rows = await duck.all(`
      SELECT keyword, category, result_count, user_id, gender, birth_year, device,
             strftime(timezone('Asia/Seoul', "timestamp"), '%Y-%m-%d %H:%M:%S') AS kst
      FROM read_parquet(${filesOf('Search_log')}) ORDER BY keyword`);
    expect(rows).toEqual([
      {
        keyword: 'x',
        category: '',
        result_count: 0,
        user_id: 'moa2026',
        gender: 'F',
        birth_year: 1995,
        device: 'Mozilla/5.0 (iPhone)',
        kst: '2026-11-27 21:15:30',
      },
      {
        keyword: '레미',
        category: '뮤지컬',
        result_count: 1,
        user_id: 'anonymous',
        gender: null,
        birth_year: null,
        device: 'Mozilla/5.0 (iPhone)',
        kst: '2026-11-27 21:15:30',
      },
    ]);
  });

  it('when the logins are counted by outcome, then the failed and the successful ones are told apart', async () => {
    const rows = await duck.all(`
      SELECT topic, status, count(*)::INTEGER AS n
      FROM read_parquet([${filesOf('Validate')}, ${filesOf('Login_log')}, ${filesOf('KakaoLogin_log')}], union_by_name = true)
      GROUP BY ALL ORDER BY topic`);
    expect(rows).toEqual([
      { topic: 'KakaoLogin_log', status: 'success', n: 1 },
      { topic: 'Login_log', status: 'success', n: 1 },
      { topic: 'Validate', status: 'fail', n: 1 },
    ]);
  });
});
