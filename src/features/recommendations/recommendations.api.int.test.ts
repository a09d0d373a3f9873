import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { makeRun } from '../../test-support/runs.js';
import { startTestService, type TestService } from '../../test-support/app.js';
import type { Performance } from '../catalog/index.js';

const artist = (name: string) => [{ artist_name: name, artist_url: null }];

describe('GET /recommendation/{id}', () => {
  let service: TestService;
  const importRuns = async (runs: Performance[]) => {
    await service.container.stores.performances.upsertMany(runs);
    await service.container.catalog.refresh();
  };
  const similarIds = async (id: string) => {
    const res = await service.app.inject({ method: 'GET', url: `/recommendation/${id}` });
    expect(res.statusCode).toBe(200);
    return (res.json() as { id: string }[]).map((r) => r.id);
  };

  const recital = makeRun({
    title: '쇼팽 피아노 리사이틀',
    description: '쇼팽의 발라드와 녹턴, 폴로네즈를 들려주는 피아노 독주회',
    artist: artist('김피아'),
    category: '클래식',
    start_date: '2026.12.05',
  });
  const otherRecital = makeRun({
    title: '조성진 리사이틀',
    description: '쇼팽 녹턴과 발라드 전곡, 피아노 독주회',
    artist: artist('조성진'),
    category: '클래식',
    start_date: '2026.12.20',
  });
  const rock = makeRun({
    title: '락 페스티벌 2026',
    description: '밴드 라이브 스탠딩 공연, 기타와 드럼의 밤',
    artist: artist('록밴드'),
    start_date: '2026.12.10',
  });
  const busan = makeRun({ title: '쇼팽 녹턴의 밤', description: '쇼팽 피아노 독주회', region: '경상', start_date: '2026.12.06' });

  beforeEach(async () => {
    service = await startTestService({}, { clock: fixedClock('2026-11-27T03:00:00Z') });
    await importRuns([recital, otherRecital, rock, busan]);
  });
  afterEach(() => service.close());

  it('when the job has run, then similar runs come back as list items, most similar first, same region only', async () => {
    const outcome = await service.container.jobs.recommend.run();
    expect(outcome).toMatchObject({ status: 'ran', summary: { runsProcessed: 4 } });
    const res = await service.app.inject({ method: 'GET', url: `/recommendation/${recital._id}` });
    const items = res.json() as Record<string, unknown>[];
    expect(items.map((i) => i.id)).toEqual([otherRecital._id, rock._id]);
    expect(Object.keys(items[0]!)).toEqual(expect.arrayContaining(['id', 'title', 'poster_url', 'location', 'start_date', 'end_date']));
  });

  it('when a run was imported after the last build, then its list is computed on first request and kept', async () => {
    await service.container.jobs.recommend.run();
    const newcomer = makeRun({
      title: '쇼팽 스페셜 갈라',
      description: '쇼팽 발라드와 녹턴 피아노 독주회',
      category: '클래식',
      start_date: '2026.12.01',
    });
    await importRuns([newcomer]);
    expect(await service.container.stores.recommendations.get(newcomer._id)).toBeUndefined();
    expect((await similarIds(newcomer._id)).slice(0, 2)).toEqual([recital._id, otherRecital._id]);
    expect(await service.container.stores.recommendations.get(newcomer._id)).toEqual(await similarIds(newcomer._id));
  });

  it('when the id is unknown or malformed, then 404 or 400 with a detail', async () => {
    const unknown = await service.app.inject({ method: 'GET', url: '/recommendation/ffffffffffffffffffffffff' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toHaveProperty('detail');
    expect((await service.app.inject({ method: 'GET', url: '/recommendation/nope' })).statusCode).toBe(400);
  });
});
