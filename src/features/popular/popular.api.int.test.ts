import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { createMemoryLake } from '../../pipeline/index.js';
import { makeRun } from '../../test-support/runs.js';
import { startTestService, type TestService } from '../../test-support/app.js';
import { viewLogFile, viewLogKey, type ViewEvent } from '../../test-support/view-log-files.js';

const NOW = Date.parse('2026-11-27T03:00:00Z');
let n = 0;
const views = (ticket: string, count: number, daysAgo = 0): ViewEvent[] =>
  Array.from({ length: count }, () => ({ event_id: `e${(n += 1)}`, ticket_id: ticket, timestamp: NOW - daysAgo * 86_400_000 }));

describe('GET /popular', () => {
  let service: TestService;
  const lake = createMemoryLake();
  const runs = Array.from({ length: 10 }, (_, i) => makeRun({ title: `인기 공연 ${i}`, end_date: '2026.12.31' }));
  const ended = makeRun({ title: '끝난 공연', start_date: '2026.10.01', end_date: '2026.11.01' });
  const ids = async (url: string) => ((await service.app.inject({ method: 'GET', url })).json() as { id: string }[]).map((r) => r.id);

  beforeEach(async () => {
    service = await startTestService({}, { clock: fixedClock(new Date(NOW)), lake });
    await service.container.stores.performances.upsertMany([...runs, ended]);
    await service.container.catalog.refresh();
    const events = [...views(ended._id, 50), ...runs.flatMap((r, i) => views(r._id, 10 + i, 20)), ...views(runs[0]!._id, 30, 2)];
    await lake.put(viewLogKey('2026-11-27'), viewLogFile(events));
    await lake.put(viewLogKey('2026-11-27-again'), viewLogFile(events));
    expect(await service.container.jobs.popular.run()).toMatchObject({ status: 'ran', summary: { eventsCounted: events.length } });
  });
  afterEach(() => service.close());

  it('when called as the legacy frontend does, then 8 current runs come back ordered by views', async () => {
    const expected = [runs[0]!, ...runs.slice(1).reverse()].slice(0, 8).map((r) => r._id);
    expect(await ids('/popular')).toEqual(expected);
    expect(await ids('/popular?currPage=1')).toEqual(expected);
  });

  it('when a trending window is asked for, then only views in that window count', async () => {
    expect(await ids('/popular?window=7d')).toEqual([runs[0]!._id]);
    expect((await ids('/popular?window=30d'))[0]).toBe(runs[0]!._id);
  });

  it('when the window is not one we offer, then 422 with a detail', async () => {
    const res = await service.app.inject({ method: 'GET', url: '/popular?window=2w' });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toContain('7d');
  });
});
