import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDb } from '../../db/sqlite/connection.js';
import { manualClock } from '../../platform/clock.js';
import { createMemoryLake, type Lake } from '../../pipeline/index.js';
import { viewLogFile, viewLogKey, type ViewEvent } from '../../test-support/view-log-files.js';
import type { JobContext } from '../jobs/index.js';
import { popularJob } from './popular.job.js';
import type { PopularStore } from './popular.store.js';
import { createSqlitePopularStore } from './sqlite-popular-store.js';
import { createSqliteViewCountStore } from './sqlite-view-count-store.js';

const NOW = '2026-11-27T03:00:00Z'; // 12:00 KST on 2026.11.27
const HOUR = 3_600_000;
const at = (hoursAgo: number) => Date.parse(NOW) - hoursAgo * HOUR;
const ctx: JobContext = { progress: async () => undefined, signal: new AbortController().signal };

let n = 0;
/** `count` views of `ticket`, each with its own event id. */
const views = (ticket: string, count: number, hoursAgo = 1): ViewEvent[] =>
  Array.from({ length: count }, () => ({ event_id: `ev-${(n += 1)}`, ticket_id: ticket, timestamp: at(hoursAgo) }));

describe('popular job', () => {
  let db: SqliteDb;
  let lake: Lake;
  let rankings: PopularStore;
  let gone: Set<string>;
  const clock = manualClock(NOW);
  const run = () =>
    popularJob({
      lake,
      counts: createSqliteViewCountStore(db),
      rankings,
      clock,
      rankable: async () => (id) => !gone.has(id),
    })(ctx);
  const top = async (window = 'all') => (await rankings.ranking(window)).map((r) => [r.ticket_id, r.views]);

  beforeEach(() => {
    db = openSqlite(':memory:');
    lake = createMemoryLake();
    rankings = createSqlitePopularStore(db);
    gone = new Set();
    clock.set(NOW);
  });
  afterEach(() => db.close());

  it('when views are counted, then runs are ranked by count, highest first, ties by id', async () => {
    await lake.put(viewLogKey('2026-11-27T02'), viewLogFile([...views('t-d', 2), ...views('t-b', 2), ...views('t-c', 5), ...views('t-a', 2)]));
    await lake.put(viewLogKey('2026-11-27T03'), viewLogFile(views('t-a', 1)));
    const summary = await run();
    expect(summary).toMatchObject({ filesListed: 2, filesRead: 2, eventsRead: 12, eventsCounted: 12, rankedRuns: 4 });
    expect(await top()).toEqual([
      ['t-c', 5],
      ['t-a', 3],
      ['t-b', 2],
      ['t-d', 2],
    ]);
  });

  it('when a file was written twice or two files overlap, then each event counts once', async () => {
    const batch = [...views('t-a', 3), ...views('t-b', 2)];
    await lake.put(viewLogKey('2026-11-27T02-0'), viewLogFile(batch));
    await lake.put(viewLogKey('2026-11-27T02-1'), viewLogFile(batch));
    await lake.put(viewLogKey('2026-11-27T03'), viewLogFile([...batch.slice(0, 3), ...views('t-b', 2)]));
    const summary = await run();
    expect(summary).toMatchObject({ filesRead: 3, eventsRead: 15, eventsCounted: 7 });
    expect(await top()).toEqual([
      ['t-b', 4],
      ['t-a', 3],
    ]);
  });

  it('when the job runs again, then it reads only new or rewritten files', async () => {
    const first = views('t-a', 2);
    await lake.put(viewLogKey('a'), viewLogFile(first));
    await run();
    expect(await run()).toMatchObject({ filesRead: 0, eventsCounted: 0 });
    await lake.put(viewLogKey('b'), viewLogFile(views('t-b', 3)));
    // the sink rewrote a.parquet with one more event
    await lake.put(viewLogKey('a'), viewLogFile([...first, ...views('t-a', 2)]));
    expect(await run()).toMatchObject({ filesRead: 2, eventsRead: 7, eventsCounted: 5 });
    expect(await top()).toEqual([
      ['t-a', 4],
      ['t-b', 3],
    ]);
  });

  it('when views are older than a window, then the trending ranking leaves them out', async () => {
    await lake.put(viewLogKey('x'), viewLogFile([...views('old', 9, 24 * 20), ...views('week', 4, 24 * 3), ...views('today', 2, 1)]));
    await run();
    expect(await top('1d')).toEqual([['today', 2]]);
    expect(await top('7d')).toEqual([
      ['week', 4],
      ['today', 2],
    ]);
    expect(await top('30d')).toEqual([
      ['old', 9],
      ['week', 4],
      ['today', 2],
    ]);
    expect(await top()).toEqual([
      ['old', 9],
      ['week', 4],
      ['today', 2],
    ]);
  });

  it('when a ticket is no longer rankable (ended or unknown), then the ranking skips it', async () => {
    await lake.put(viewLogKey('x'), viewLogFile([...views('ended', 9), ...views('t-a', 1)]));
    gone.add('ended');
    await run();
    expect(await top()).toEqual([['t-a', 1]]);
  });

  it('when a file cannot be read, then the others are counted and it is tried again next time', async () => {
    await lake.put(viewLogKey('bad'), new TextEncoder().encode('not parquet'));
    await lake.put(viewLogKey('good'), viewLogFile(views('t-a', 1)));
    expect(await run()).toMatchObject({ filesRead: 1, filesFailed: 1 });
    expect(await run()).toMatchObject({ filesRead: 0, filesFailed: 1 });
  });
});
