import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLakeMonth } from '../../bench/lake-month.js';
import { compactLake, type Lake, type Topic } from '../../pipeline/index.js';
import { createLocalLake } from '../../test-support/local-lake.js';
import { startTestS3, type TestS3 } from '../../test-support/s3.js';
import type { AnalyticsEngine, InstantRange } from './analytics-engine.js';
import { createDuckDbAnalyticsEngine } from './duckdb-analytics-engine.js';
import { createCachedLakeFiles, createDirectLakeFiles, type LakeFiles } from './local-lake-files.js';

/**
 * A month of history (the 1st … 30th of November, files of 100 events, about 40 minutes each) and
 * the dashboard asked for one day of it: it reads that day's files and the few at its edges, not
 * the month's, and its figures are those of a read of every file; after compaction too.
 */
const DAY: InstantRange = { start: new Date('2026-11-15T00:00:00+09:00'), end: new Date('2026-11-16T00:00:00+09:00') };
const MONTH: InstantRange = { start: new Date('2026-11-01T00:00:00+09:00'), end: new Date('2026-12-01T00:00:00+09:00') };
const TEN_DAYS: InstantRange = { start: new Date('2026-11-11T00:00:00+09:00'), end: new Date('2026-11-21T00:00:00+09:00') };

/** The files an engine was given per figure, and the engine. */
function engineOver(files: LakeFiles, opts: { ignoreRange?: boolean } = {}) {
  const given: string[][] = [];
  const counting: LakeFiles = {
    filesOf: async (topics: readonly Topic[], range) => {
      const out = await files.filesOf(topics, opts.ignoreRange ? undefined : range);
      given.push([...out.values()].flat());
      return out;
    },
  };
  return { engine: createDuckDbAnalyticsEngine({ files: counting, timeoutMs: 60_000 }), given };
}

const figures = async (engine: AnalyticsEngine, range: InstantRange) => ({
  views: await engine.views(range),
  searches: await engine.searches(range, 20),
  activity: await engine.activity(range),
});

describe('dashboard figures of a range read only the files that can hold it', () => {
  let root: string;
  let lake: Lake;
  let s3: TestS3;
  let dirs: string[] = [];
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'ticketmoa-ranges-'));
    dirs = [root];
    lake = createLocalLake(root);
    await generateLakeMonth(lake, { lastDay: '2026-11-30', days: 30, eventsPerDay: 3600, fileEvents: 100, seed: 11 });
    s3 = await startTestS3();
  }, 120_000);
  afterAll(async () => {
    await s3?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('when one day of a month-old lake is asked, then only that day’s files (and two hours each side) are read, with the figures of a full read', async () => {
    const ranged = engineOver(createDirectLakeFiles(lake, root));
    const full = engineOver(createDirectLakeFiles(lake, root), { ignoreRange: true });
    const answer = await figures(ranged.engine, DAY);
    expect(answer).toEqual(await figures(full.engine, DAY));
    expect(answer.views.runs.reduce((n, r) => n + r.views, 0)).toBe(3600);
    // 36 files of View_detail_log a day (40 min each): the day's 36 and 3 each side within the 2 h margin
    const views = ranged.given[0]!;
    expect(views).toHaveLength(42);
    expect(full.given[0]).toHaveLength(1080);
    await ranged.engine.close();
    await full.engine.close();
  }, 120_000);

  it('when the lake is on S3, then only the range’s files are copied, so a small cache serves a day of a month larger than it', async () => {
    // ten days in files of 300 events (fewer than a listing page: s3rver fails continuation tokens)
    const bucket = s3.lake('ranges');
    await generateLakeMonth(bucket, { lastDay: '2026-11-20', days: 10, eventsPerDay: 3600, fileEvents: 300, seed: 11 });
    const local = mkdtempSync(path.join(tmpdir(), 'ticketmoa-ranges-local-'));
    dirs.push(local);
    const copy = createLocalLake(local);
    for (const o of await bucket.list('logs/')) await copy.put(o.key, (await bucket.get(o.key))!);
    const month = (await bucket.list('logs/')).reduce((n, o) => n + o.size, 0);
    const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-ranges-cache-'));
    dirs.push(dir);
    // a budget of a fifth of the lake: the ten days' figure is refused, a day's fits
    const files = createCachedLakeFiles({ lake: bucket, dir, maxBytes: Math.ceil(month / 5) });
    const { engine } = engineOver(files);
    const direct = engineOver(createDirectLakeFiles(copy, local), { ignoreRange: true });
    expect(await figures(engine, DAY)).toEqual(await figures(direct.engine, DAY));
    expect(files.usedBytes()).toBeLessThan(month / 5);
    await expect(engine.views(TEN_DAYS)).rejects.toMatchObject({ reason: 'cache-too-small' });
    await engine.close();
    await direct.engine.close();
  }, 180_000);

  it('when the month is compacted, then a day reads one or two day files and every figure stays the same', async () => {
    const before = engineOver(createDirectLakeFiles(lake, root));
    const dayBefore = await figures(before.engine, DAY);
    const monthBefore = await figures(before.engine, MONTH);
    await before.engine.close();
    const tempDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-ranges-compact-'));
    dirs.push(tempDir);
    const summary = await compactLake({ lake, now: new Date('2026-12-01T12:00:00+09:00'), tempDir }, { graceMs: 0 });
    expect(summary.filesWritten).toBe(60);
    expect(summary.filesDeleted).toBe(2160);
    const after = engineOver(createDirectLakeFiles(lake, root));
    expect(await figures(after.engine, DAY)).toEqual(dayBefore);
    expect(await figures(after.engine, MONTH)).toEqual(monthBefore);
    // the 15th's day file, and the 14th's (its last files may run two hours into the 15th)… and the 16th's (two hours before)
    expect(after.given[0]!.map((f) => path.basename(f))).toEqual(['20261114-day.parquet', '20261115-day.parquet', '20261116-day.parquet']);
    await after.engine.close();
  }, 300_000);
});
