import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLakeMonth } from '../../bench/lake-month.js';
import { openSqlite } from '../../db/sqlite/connection.js';
import { manualClock } from '../../platform/clock.js';
import { compactLake, createMemoryLake } from '../../pipeline/index.js';
import type { JobContext } from '../jobs/index.js';
import { popularJob } from './popular.job.js';
import { createSqlitePopularStore } from './sqlite-popular-store.js';
import { createSqliteViewCountStore } from './sqlite-view-count-store.js';
import { WINDOW_NAMES } from './popular.windows.js';

const ctx: JobContext = { progress: async () => undefined, signal: new AbortController().signal };
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the popular job and compaction', () => {
  it('when the lake is compacted between runs, then every window ranks the same and no view counts twice; a fresh count of the compacted lake agrees', async () => {
    const lake = createMemoryLake();
    await generateLakeMonth(lake, { lastDay: '2026-11-26', days: 10, eventsPerDay: 500, fileEvents: 100, topics: ['View_detail_log'], runs: 40 });
    const clock = manualClock('2026-11-27T12:00:00+09:00');
    const open = () => {
      const db = openSqlite(':memory:');
      const rankings = createSqlitePopularStore(db);
      const job = popularJob({ lake, counts: createSqliteViewCountStore(db), rankings, clock, rankable: async () => () => true });
      const windows = async () =>
        Object.fromEntries(await Promise.all(WINDOW_NAMES.map(async (w) => [w, (await rankings.ranking(w)).map((r) => [r.ticket_id, r.views])])));
      return { db, job, windows };
    };
    const kept = open();
    const first = await kept.job(ctx);
    expect(first.eventsCounted).toBe(5000);
    const before = await kept.windows();

    const tempDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-popular-compact-'));
    dirs.push(tempDir);
    const summary = await compactLake({ lake, now: clock.now(), tempDir }, { graceMs: 0 });
    expect(summary.filesDeleted).toBe(50);

    const second = await kept.job(ctx);
    // the day files are new to the job: read once, every event already counted
    expect(second).toMatchObject({ filesRead: 10, eventsRead: 5000, eventsCounted: 0 });
    expect(await kept.windows()).toEqual(before);

    const fresh = open();
    expect((await fresh.job(ctx)).eventsCounted).toBe(5000);
    expect(await fresh.windows()).toEqual(before);
    kept.db.close();
    fresh.db.close();
  }, 120_000);
});
