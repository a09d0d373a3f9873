import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLakeMonth } from '../../bench/lake-month.js';
import { openDuckDb, sqlString, type DuckDb } from '../../test-support/duckdb.js';
import { startTestS3, type TestS3 } from '../../test-support/s3.js';
import { compactLake, lastClosedDay, planCompaction, type CompactStep } from './compact.js';
import type { Lake } from './lake.js';
import { readTopicEvents } from './lake-reader.js';
import { dayFileKey, eventFileKey, parseLakeKey } from './layout.js';
import { createLocalLake } from './local-lake.js';
import { putEventFile } from './put-event-file.js';

const NOW = new Date('2026-11-27T12:00:00+09:00');
let s3: TestS3;
let duck: DuckDb;
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'ticketmoa-compact-'));
  dirs.push(d);
  return d;
};
beforeAll(async () => {
  s3 = await startTestS3();
  duck = await openDuckDb();
});
afterAll(async () => {
  duck?.close();
  await s3?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Three closed days (24th–26th) of two topics in files of 100 events, a Kafka resend, today's file and the demo's. */
async function fill(lake: Lake) {
  await generateLakeMonth(lake, { lastDay: '2026-11-26', days: 3, eventsPerDay: 1000, fileEvents: 100, seed: 7 });
  // a batch Kafka delivered twice, under another name (same first event, so the same time)
  const [resent] = (await lake.list('logs/Search_log/')).slice(4, 5);
  const body = (await lake.get(resent!.key))!;
  await lake.put(resent!.key.replace('benchmonth0-p0', 'kafka-p3'), body);
  const today = [
    {
      event_id: 'today-1',
      timestamp: '2026-11-27T09:00:00.000+09:00',
      topic: 'Search_log' as const,
      action: 'search',
      user_id: 'anonymous',
      device: 'x',
    },
  ];
  await putEventFile(lake, { topic: 'Search_log', source: 'e1', partition: 0, firstOffset: 1, firstTimestamp: today[0]!.timestamp }, today);
  const demo = [
    {
      event_id: 'demo-1',
      timestamp: '2026-11-24T09:00:00.000+09:00',
      topic: 'View_detail_log' as const,
      action: 'view_detail',
      user_id: 'anonymous',
      device: 'd',
      ticket_id: 'x',
    },
  ];
  await putEventFile(lake, { topic: 'View_detail_log', source: 'demo', partition: 0, firstOffset: 0, firstTimestamp: demo[0]!.timestamp }, demo);
}

const ids = async (lake: Lake, topic: 'Search_log' | 'View_detail_log') => (await readTopicEvents(lake, topic)).map((e) => e.event_id).sort();

interface Kind {
  name: string;
  open(): { lake: Lake; root?: string };
}
let prefixes = 0;
const kinds: Kind[] = [
  {
    name: 'file://',
    open: () => {
      const root = tempDir();
      return { lake: createLocalLake(root), root };
    },
  },
  { name: 's3://', open: () => ({ lake: s3.lake(`compact-${++prefixes}`) }) },
];

describe.each(kinds)('compact-lake on a $name lake', (kind) => {
  it('when closed days are compacted, then each is one sorted file with the same events once, today and the demo file stay, and a second run changes nothing', async () => {
    const { lake } = kind.open();
    await fill(lake);
    const before = { search: await ids(lake, 'Search_log'), view: await ids(lake, 'View_detail_log') };
    expect(before.search).toHaveLength(3001);
    const sample = (await lake.list('logs/View_detail_log/'))[0]!.key;

    const summary = await compactLake({ lake, now: NOW, tempDir: tempDir() }, { graceMs: 0, rowGroupSize: 400 });
    expect(summary.lastDay).toBe('2026-11-26');
    expect(summary.days.map((d) => `${d.topic} ${d.day} ${d.sourceFiles} ${d.events} ${d.rowGroups}`)).toEqual([
      'View_detail_log 2026-11-24 10 1000 3',
      'View_detail_log 2026-11-25 10 1000 3',
      'View_detail_log 2026-11-26 10 1000 3',
      'Search_log 2026-11-24 11 1000 3',
      'Search_log 2026-11-25 10 1000 3',
      'Search_log 2026-11-26 10 1000 3',
    ]);
    expect((await lake.list('logs/Search_log/')).map((o) => o.key)).toEqual([
      dayFileKey('Search_log', '2026-11-24'),
      dayFileKey('Search_log', '2026-11-25'),
      dayFileKey('Search_log', '2026-11-26'),
      eventFileKey({ topic: 'Search_log', source: 'e1', partition: 0, firstOffset: 1, firstTimestamp: '2026-11-27T09:00:00.000+09:00' }),
    ]);
    expect((await lake.list('logs/View_detail_log/')).filter((o) => parseLakeKey(o.key)?.batch?.source === 'demo')).toHaveLength(1);
    expect(await ids(lake, 'Search_log')).toEqual(before.search);
    expect(await ids(lake, 'View_detail_log')).toEqual(before.view);
    expect((await readTopicEvents(lake, 'Search_log', { keepDuplicates: true })).length).toBe(3001);

    // DuckDB reads the day file: the same columns and types as a sink file, sorted, with statistics
    const dir = tempDir();
    const local = (key: string, body: Uint8Array) => {
      const file = path.join(dir, path.basename(key));
      writeFileSync(file, body);
      return sqlString(file);
    };
    const day = local(dayFileKey('View_detail_log', '2026-11-25'), (await lake.get(dayFileKey('View_detail_log', '2026-11-25')))!);
    const small = local(sample, (await generateSample())!);
    expect(await duck.types(`SELECT * FROM read_parquet(${day})`)).toEqual(await duck.types(`SELECT * FROM read_parquet(${small})`));
    const [order] = await duck.all(
      `SELECT count(*) FILTER (WHERE back) AS back, count(*) AS n FROM (SELECT "timestamp" < lag("timestamp") OVER (ORDER BY file_row_number) AS back FROM read_parquet(${day}, file_row_number = true))`,
    );
    expect(order).toEqual({ back: '0', n: '1000' });
    const stats = await duck.all(
      `SELECT row_group_id, stats_min_value AS lo, stats_max_value AS hi FROM parquet_metadata(${day}) WHERE path_in_schema = 'timestamp' ORDER BY row_group_id`,
    );
    expect(stats).toHaveLength(3);
    for (const s of stats) expect(s.lo).not.toBeNull();
    // sorted: the row groups' time ranges follow each other
    expect(String(stats[0]!.hi) <= String(stats[1]!.lo) && String(stats[1]!.hi) <= String(stats[2]!.lo)).toBe(true);

    const listing = await lake.list('logs/');
    const again = await compactLake({ lake, now: NOW, tempDir: tempDir() }, { graceMs: 0 });
    expect(again.days).toEqual([]);
    expect(await lake.list('logs/')).toEqual(listing);

    async function generateSample() {
      // a sink file of the same topic, as the sink writes it (the compacted ones are gone)
      const other = kind.open().lake;
      await generateLakeMonth(other, { lastDay: '2026-11-26', days: 1, eventsPerDay: 10, fileEvents: 10, topics: ['View_detail_log'] });
      return other.get((await other.list('logs/'))[0]!.key);
    }
  });

  for (const step of ['merged', 'stored', 'deleting'] as CompactStep[]) {
    it(`when a run stops after "${step}", then readers see each event once meanwhile and the next run finishes the job`, async () => {
      const { lake } = kind.open();
      await fill(lake);
      const before = await ids(lake, 'Search_log');
      const stop = new Error('stopped');
      await expect(
        compactLake(
          {
            lake,
            now: NOW,
            tempDir: tempDir(),
            afterStep: (s, plan) => {
              if (s === step && plan.day === '2026-11-25' && plan.topic === 'Search_log') throw stop;
            },
          },
          { graceMs: 0, topic: 'Search_log' },
        ),
      ).rejects.toBe(stop);
      expect(await ids(lake, 'Search_log')).toEqual(before);
      const summary = await compactLake({ lake, now: NOW, tempDir: tempDir() }, { graceMs: 0 });
      // deletes start once every day is stored: stopped in the 25th's, the 24th's are done
      const left = step === 'deleting' ? ['2026-11-25', '2026-11-26'] : ['2026-11-24', '2026-11-25', '2026-11-26'];
      expect(summary.days.filter((d) => d.topic === 'Search_log').map((d) => d.day)).toEqual(left);
      expect(await ids(lake, 'Search_log')).toEqual(before);
      expect((await readTopicEvents(lake, 'Search_log', { keepDuplicates: true })).length).toBe(3001);
      expect((await lake.list('logs/Search_log/')).filter((o) => parseLakeKey(o.key)?.day !== undefined)).toHaveLength(3);
      expect((await lake.list('logs/Search_log/')).length).toBe(4);
    });
  }
});

describe('which days compaction takes', () => {
  it('when a day has not been closed for three hours, or is today, then it is not taken, whatever --before says', async () => {
    expect(lastClosedDay(new Date('2026-11-27T02:59:59+09:00'))).toBe('2026-11-25');
    expect(lastClosedDay(new Date('2026-11-27T03:00:00+09:00'))).toBe('2026-11-26');
    const lake = createLocalLake(tempDir());
    await fill(lake);
    const summary = await compactLake({ lake, now: NOW, tempDir: tempDir() }, { dryRun: true, before: '2030-01-01' });
    expect(summary.days.map((d) => d.day)).not.toContain('2026-11-27');
    const narrower = await compactLake({ lake, now: NOW, tempDir: tempDir() }, { dryRun: true, before: '2026-11-25', topic: 'Search_log' });
    expect(narrower.days.map((d) => `${d.topic} ${d.day} ${d.sourceFiles}`)).toEqual(['Search_log 2026-11-24 11']);
    expect(narrower.filesDeleted).toBe(0);
    expect((await lake.list('logs/')).some((o) => parseLakeKey(o.key)?.day !== undefined)).toBe(false);
  });

  it('when a day file exists and late sink files of that day arrive, then they are merged into it', () => {
    const plans = planCompaction(
      'Search_log',
      [
        { key: dayFileKey('Search_log', '2026-11-20'), size: 10 },
        { key: dayFileKey('Search_log', '2026-11-21'), size: 10 },
        { key: 'logs/Search_log/20261121T235959.000-kafka-p0-o000000000001.parquet', size: 1 },
        { key: 'logs/Search_log/by-hand.parquet', size: 1 },
      ],
      '2026-11-26',
    );
    expect(plans).toEqual([
      {
        topic: 'Search_log',
        day: '2026-11-21',
        key: dayFileKey('Search_log', '2026-11-21'),
        dayFile: { key: dayFileKey('Search_log', '2026-11-21'), size: 10 },
        sources: [{ key: 'logs/Search_log/20261121T235959.000-kafka-p0-o000000000001.parquet', size: 1 }],
      },
    ]);
  });
});
