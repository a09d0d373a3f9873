/**
 * The lake at scale (`npm run bench:lake`): a generated month in the sink's own format (1,000-event
 * files), then file count, bytes, DuckDB query times, the dashboard's answer times and the popular
 * job's time before and after `compact-lake`, and compaction's throughput and peak RSS (its own
 * process: `ticketmoa compact-lake`, RSS read from /proc). Scale: BENCH_LAKE_DAYS (30) ×
 * BENCH_LAKE_EVENTS_PER_DAY (100,000) per topic, View_detail_log and Search_log: 6 M events, 6,000
 * files, about 300 MB; 15–20 minutes on two shared cores. Before and after are measured
 * alternately, twice each, and the faster time is shown.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { openSqlite } from '../db/sqlite/connection.js';
import { createDuckDbAnalyticsEngine } from '../features/dashboard/duckdb-analytics-engine.js';
import { createDirectLakeFiles } from '../features/dashboard/local-lake-files.js';
import type { JobContext } from '../features/jobs/job-runner.js';
import { popularJob } from '../features/popular/popular.job.js';
import { createSqlitePopularStore } from '../features/popular/sqlite-popular-store.js';
import { createSqliteViewCountStore } from '../features/popular/sqlite-view-count-store.js';
import { filesForRange, listEventFiles, type Topic } from '../pipeline/index.js';
import { createLocalLake } from '../pipeline/lake/local-lake.js';
import { fixedClock } from '../platform/clock.js';
import { generateLakeMonth } from './lake-month.js';

const NOW = '2026-12-01T12:00:00+09:00';
const LAST_DAY = '2026-11-30';
const DAYS = Number(process.env.BENCH_LAKE_DAYS ?? 30);
const PER_DAY = Number(process.env.BENCH_LAKE_EVENTS_PER_DAY ?? 100_000);
const day = (d: string) => new Date(`${d}T00:00:00+09:00`);
const RANGES = {
  '1 day': { start: day('2026-11-30'), end: day('2026-12-01') },
  '7 days': { start: day('2026-11-24'), end: day('2026-12-01') },
  '30 days': { start: day('2026-11-01'), end: day('2026-12-01') },
};
type RangeName = keyof typeof RANGES;
const ctx: JobContext = { progress: async () => undefined, signal: new AbortController().signal };

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const began = performance.now();
  const out = await work();
  return [out, performance.now() - began];
}

const root = process.env.BENCH_LAKE_DIR ?? mkdtempSync(path.join(tmpdir(), 'ticketmoa-bench-lake-'));
const sql = (text: string) => `'${text.replace(/'/g, "''")}'`;
// `lake` and `lakeDir` name the lake being measured: the compacted one, or the copy kept from before
let lakeDir = path.join(root, 'lake');
let lake = createLocalLake(lakeDir);
const use = (dir: string) => {
  lakeDir = dir;
  lake = createLocalLake(dir);
};

async function lakeStats() {
  const files = await listEventFiles(lake);
  return { files: files.length, bytes: files.reduce((n, f) => n + f.size, 0) };
}

/** The top-10 viewed runs of a range, each event once: the query an analyst pastes (docs/lake.md). */
async function duckQuery(range: { start: Date; end: Date }, picked: boolean): Promise<number> {
  const all = await listEventFiles(lake, 'View_detail_log');
  const files = (picked ? filesForRange(all, range) : all).map((f) => sql(path.join(lakeDir, f.key)));
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  try {
    const [, ms] = await timed(() =>
      connection.runAndReadAll(
        `SELECT ticket_id, count(DISTINCT event_id) AS views FROM read_parquet([${files.join(', ')}])
         WHERE "timestamp" >= ${sql(range.start.toISOString())}::TIMESTAMPTZ AND "timestamp" < ${sql(range.end.toISOString())}::TIMESTAMPTZ
         GROUP BY ticket_id ORDER BY views DESC LIMIT 10`,
      ),
    );
    return ms;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The dashboard's views and searches figures of each range, on a fresh engine (no cache), with its answers. */
async function dashboard(): Promise<{ ms: Record<RangeName, number>; answers: unknown[] }> {
  const engine = createDuckDbAnalyticsEngine({ files: createDirectLakeFiles(lake, lakeDir), timeoutMs: 600_000 });
  const ms = {} as Record<RangeName, number>;
  const answers: unknown[] = [];
  try {
    for (const [name, range] of Object.entries(RANGES) as [RangeName, { start: Date; end: Date }][]) {
      const [answer, t] = await timed(async () => [await engine.views(range), await engine.searches(range, 20)]);
      ms[name] = t;
      answers.push(answer);
    }
  } finally {
    await engine.close();
  }
  return { ms, answers };
}

async function popular(db = openSqlite(':memory:')) {
  const job = popularJob({
    lake,
    counts: createSqliteViewCountStore(db),
    rankings: createSqlitePopularStore(db),
    clock: fixedClock(NOW),
    rankable: async () => () => true,
  });
  const [summary, ms] = await timed(() => job(ctx));
  return { summary, ms, db };
}

/** `ticketmoa compact-lake` in its own process; its peak RSS from /proc (VmHWM), DuckDB's native memory included. */
function compactInChild(): Promise<{ ms: number; peakRss: number; stdout: string }> {
  const bin = fileURLToPath(new URL('../../bin/ticketmoa.js', import.meta.url));
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const child = spawn(process.execPath, [bin, 'compact-lake', '--grace', '0'], {
      env: { PATH: process.env.PATH ?? '', TICKETMOA_DATA_DIR: root, TICKETMOA_NOW: NOW, NODE_ENV: 'test', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let peakRss = 0;
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const sample = () => {
      const status = `/proc/${child.pid}/status`;
      if (!existsSync(status)) return;
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'));
        if (hwm) peakRss = Math.max(peakRss, Number(hwm[1]) * 1024);
      } catch {
        // the process ended between the check and the read
      }
    };
    const timer = setInterval(sample, 100);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`compact-lake exited with ${code}: ${stdout}`));
      else resolve({ ms: performance.now() - began, peakRss, stdout });
    });
  });
}

async function main() {
  const topics: Topic[] = ['View_detail_log', 'Search_log'];
  process.stderr.write(`generating ${DAYS} days × ${PER_DAY} events × ${topics.length} topics in 1,000-event files under ${lakeDir}\n`);
  const [month, genMs] = await timed(() =>
    generateLakeMonth(lake, {
      lastDay: LAST_DAY,
      days: DAYS,
      eventsPerDay: PER_DAY,
      topics,
      onFile: (_key, n) => {
        if (n % 500 === 0) process.stderr.write(`  ${n} files\n`);
      },
    }),
  );
  process.stderr.write(`generated ${month.files} files, ${month.events} events, ${mb(month.bytes)} in ${secs(genMs)}\n`);

  const measure = async (label: string) => {
    process.stderr.write(`measuring ${label}\n`);
    const stats = await lakeStats();
    const duck: Record<string, number> = {};
    for (const name of ['7 days', '30 days'] as RangeName[]) {
      duck[`${name}, every file`] = await duckQuery(RANGES[name], false);
      duck[`${name}, files picked by name`] = await duckQuery(RANGES[name], true);
    }
    duck['1 day, files picked by name'] = await duckQuery(RANGES['1 day'], true);
    const dash = await dashboard();
    const pop = await popular();
    return { stats, duck, dash, pop };
  };

  // A copy of the small files stays, so that before and after are measured alternately, twice
  // each, on the same (shared, noisy) machine; the table shows the faster of the two.
  const beforeDir = path.join(root, 'lake-before');
  cpSync(path.join(root, 'lake'), beforeDir, { recursive: true });
  process.stderr.write('compacting (ticketmoa compact-lake in a child process)\n');
  const compaction = await compactInChild();
  type Measured = Awaited<ReturnType<typeof measure>>;
  const faster = (a: Measured, b: Measured): Measured => ({
    stats: a.stats,
    duck: Object.fromEntries(Object.keys(a.duck).map((k) => [k, Math.min(a.duck[k]!, b.duck[k]!)])),
    dash: {
      ms: Object.fromEntries((Object.keys(RANGES) as RangeName[]).map((k) => [k, Math.min(a.dash.ms[k], b.dash.ms[k])])) as Record<RangeName, number>,
      answers: a.dash.answers,
    },
    pop: a.pop.ms <= b.pop.ms ? a.pop : b.pop,
  });
  const rounds: { before: Measured; after: Measured }[] = [];
  for (let round = 1; round <= 2; round++) {
    use(beforeDir);
    const b = await measure(`before compaction (round ${round})`);
    use(path.join(root, 'lake'));
    const a = await measure(`after compaction (round ${round})`);
    rounds.push({ before: b, after: a });
  }
  const before = faster(rounds[0]!.before, rounds[1]!.before);
  const after = faster(rounds[0]!.after, rounds[1]!.after);
  // the popular job that had counted the month before: its next run reads each day file once
  const incremental = await popular(rounds[0]!.before.pop.db);
  const identical = rounds.every((r) => JSON.stringify(r.before.dash.answers) === JSON.stringify(r.after.dash.answers));

  const rows: [string, string, string][] = [
    ['files', String(before.stats.files), String(after.stats.files)],
    ['bytes', mb(before.stats.bytes), mb(after.stats.bytes)],
    ...Object.keys(before.duck).map((k): [string, string, string] => [`DuckDB top-10 views, ${k}`, secs(before.duck[k]!), secs(after.duck[k]!)]),
    ...(Object.keys(RANGES) as RangeName[]).map((k): [string, string, string] => [
      `dashboard views + searches, ${k}`,
      secs(before.dash.ms[k]),
      secs(after.dash.ms[k]),
    ]),
    ['popular job, fresh store (whole history)', secs(before.pop.ms), secs(after.pop.ms)],
    [
      'popular job, next run after compaction',
      '',
      `${secs(incremental.ms)} (${incremental.summary.filesRead} files read, ${incremental.summary.eventsCounted} new events)`,
    ],
  ];
  const out = [
    `Lake bench: ${DAYS} days × ${PER_DAY.toLocaleString('en')} events/day × ${topics.length} topics = ${month.events.toLocaleString('en')} events in ${month.files} files of 1,000 (generated in ${secs(genMs)}); DuckDB 1 thread; local lake; faster of two alternating rounds`,
    '',
    '| measure | before compaction | after compaction |',
    '|---|---|---|',
    ...rows.map(([a, b, c]) => `| ${a} | ${b} | ${c} |`),
    '',
    `Compaction: ${secs(compaction.ms)} for ${month.events.toLocaleString('en')} events (${Math.round(month.events / (compaction.ms / 1000)).toLocaleString('en')} events/s, ${mb(before.stats.bytes / (compaction.ms / 1000))}/s of small files), peak RSS ${mb(compaction.peakRss)}; files ÷ ${(before.stats.files / after.stats.files).toFixed(0)}.`,
    `Dashboard answers identical before and after: ${identical ? 'yes' : 'NO'}.`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  for (const r of rounds) {
    r.before.pop.db.close();
    r.after.pop.db.close();
  }
  if (process.env.BENCH_LAKE_DIR === undefined) rmSync(root, { recursive: true, force: true });
  if (!identical) process.exitCode = 1;
}

await main();
