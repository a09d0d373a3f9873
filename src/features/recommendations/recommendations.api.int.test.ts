import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
    service = await startTestService({}, { clock: fixedClock('2026-11-27T03:00:00Z'), similarRunsInProcess: true });
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

  const newcomer = (edition = 1) =>
    makeRun({
      title: `쇼팽 스페셜 갈라 ${edition}`,
      description: '쇼팽 발라드와 녹턴 피아노 독주회',
      category: '클래식',
      start_date: '2026.12.01',
    });

  it('when a run was imported after the last build, then the first request answers an empty list at once, and its list is computed in the background and kept', async () => {
    await service.container.jobs.recommend.run();
    const run = newcomer();
    await importRuns([run]);
    expect(await service.container.stores.recommendations.get(run._id)).toBeUndefined();
    expect(await similarIds(run._id)).toEqual([]);
    await service.container.similarRuns.idle();
    const stored = await service.container.stores.recommendations.get(run._id);
    expect(stored?.slice(0, 2)).toEqual([recital._id, otherRecital._id]);
    expect(await similarIds(run._id)).toEqual(stored);
  });

  it('when runs without lists are asked for, then the request itself never reads their candidates: the work is queued, one pass at a time', async () => {
    await service.container.jobs.recommend.run();
    const runs = [newcomer(1), newcomer(2), newcomer(3)];
    await importRuns(runs);
    const read = vi.spyOn(service.container.stores.performances, 'findByIds');
    // Passes wait at a gate, so that whatever the request path reads shows before any pass runs.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const compute = service.container.recommendations.computeMissing.bind(service.container.recommendations);
    let running = 0;
    let mostAtOnce = 0;
    const passes = vi.spyOn(service.container.recommendations, 'computeMissing').mockImplementation(async (...args) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      try {
        await gate;
        return await compute(...args);
      } finally {
        running -= 1;
      }
    });
    const answers = await Promise.all(runs.map((r) => similarIds(r._id)));
    expect(answers).toEqual([[], [], []]);
    expect(read).not.toHaveBeenCalled();
    open();
    await service.container.similarRuns.idle();
    expect(mostAtOnce).toBe(1);
    // the three requests became at most two passes (the first starts alone before the others arrive)
    expect(passes.mock.calls.flatMap(([request]) => request.ids).sort()).toEqual(runs.map((r) => r._id).sort());
    expect(passes.mock.calls.length).toBeLessThanOrEqual(2);
    for (const r of runs) {
      const similar = await similarIds(r._id);
      expect(similar).toHaveLength(3);
      expect(await service.container.stores.recommendations.get(r._id)).toEqual(similar);
    }
  });

  it('when the catalogue changed after a build, then a sweep computes the lists of the runs added without any request, and before any build it leaves the whole catalogue to the build', async () => {
    const before = await service.container.recommendations.computeMissing({ ids: [], sweep: true });
    expect(before).toEqual({ computed: 0, leftForBuild: 4 });
    await service.container.jobs.recommend.run();
    const run = newcomer();
    await importRuns([run]);
    const after = await service.container.recommendations.computeMissing({ ids: [], sweep: true });
    expect(after).toEqual({ computed: 1, leftForBuild: 0 });
    expect((await service.container.stores.recommendations.get(run._id))?.slice(0, 2)).toEqual([recital._id, otherRecital._id]);
  });

  it('when the id is unknown or malformed, then 404 or 400 with a detail', async () => {
    const unknown = await service.app.inject({ method: 'GET', url: '/recommendation/ffffffffffffffffffffffff' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toHaveProperty('detail');
    expect((await service.app.inject({ method: 'GET', url: '/recommendation/nope' })).statusCode).toBe(400);
  });
});
