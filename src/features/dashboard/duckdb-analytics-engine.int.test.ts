import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Topic } from '../../pipeline/index.js';
import { openDuckDb, sqlString } from '../../test-support/duckdb.js';
import { AnalyticsUnavailable } from './analytics-engine.js';
import { createDuckDbAnalyticsEngine } from './duckdb-analytics-engine.js';
import type { LakeFiles } from './local-lake-files.js';

const ROWS = 2_000_000;
const RANGE = { start: new Date('2026-11-25T00:00:00+09:00'), end: new Date('2026-11-26T00:00:00+09:00') };

describe('the DuckDB engine under a deadline', () => {
  let dir: string;
  let file: string;
  const filesOf = (paths: string[]): LakeFiles => ({
    filesOf: async (topics) => new Map(topics.map((t: Topic) => [t, t === 'Search_log' ? paths : []])),
  });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-engine-'));
    file = path.join(dir, 'searches.parquet');
    // two million searches on one day: enough that de-duplicating them takes DuckDB a while
    const duck = await openDuckDb();
    await duck.all(`COPY (
      SELECT uuid()::VARCHAR AS event_id, TIMESTAMPTZ '2026-11-25 00:00:00+09' + to_seconds(i % 86400) AS "timestamp",
        'Search_log' AS topic, 'search' AS action, 'anonymous' AS user_id, 'curl/8' AS device,
        'kw' || (i % 5000) AS keyword, (i % 3)::INTEGER AS result_count
      FROM range(${ROWS}) t(i)) TO ${sqlString(file)} (FORMAT parquet)`);
    duck.close();
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when a query outlives the deadline, then it is interrupted and the engine answers the next one', async () => {
    const engine = createDuckDbAnalyticsEngine({ files: filesOf([file]), timeoutMs: 30 });
    const started = performance.now();
    const error = await engine.searches(RANGE, 10).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AnalyticsUnavailable);
    expect((error as AnalyticsUnavailable).reason).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(5_000);
    const patient = createDuckDbAnalyticsEngine({ files: filesOf([]), timeoutMs: 30_000 });
    expect((await patient.searches(RANGE, 10)).searches).toBe(0);
    await engine.close();
    await patient.close();
  });

  it('when listing the lake hangs, then the caller gets the timeout without waiting for it', async () => {
    // answers after 3 s, long after the deadline (close() waits for it)
    const hanging: LakeFiles = { filesOf: () => new Promise((resolve) => setTimeout(() => resolve(new Map()), 3_000)) };
    const engine = createDuckDbAnalyticsEngine({ files: hanging, timeoutMs: 100 });
    const started = performance.now();
    await expect(engine.activity(RANGE)).rejects.toMatchObject({ reason: 'timeout' });
    expect(performance.now() - started).toBeLessThan(2_500);
    await engine.close();
  });

  it('when DuckDB counts millions of events, then the event loop keeps turning', async () => {
    const engine = createDuckDbAnalyticsEngine({ files: filesOf([file]), timeoutMs: 120_000 });
    let worst = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    const result = await engine.searches(RANGE, 5);
    const took = performance.now() - started;
    clearInterval(ticker);
    expect(result.searches).toBe(ROWS);
    expect(result.topKeywords).toHaveLength(5);
    console.log(`engine: ${ROWS} searches counted in ${took.toFixed(0)} ms; longest event-loop gap ${worst.toFixed(0)} ms`);
    // a loaded two-core machine stalls now and then; a query on the loop would stall for seconds
    expect(worst).toBeLessThan(Math.max(250, took / 4));
    await engine.close();
  });
});
