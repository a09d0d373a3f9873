/**
 * Benchmark of the analytics jobs: recommendations for 10k and 50k runs, popular over 1 million
 * view events in a local lake. Each measurement runs in its own child process, after a separate
 * child prepared its data, so peak RSS is the job's own.   node dist/bench/jobs.js
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { openSqlite } from '../db/sqlite/connection.js';
import { createSqlitePerformanceStore } from '../features/catalog/sqlite-performance-store.js';
import type { JobContext } from '../features/jobs/job-runner.js';
import { popularJob } from '../features/popular/popular.job.js';
import { createSqlitePopularStore } from '../features/popular/sqlite-popular-store.js';
import { createSqliteViewCountStore } from '../features/popular/sqlite-view-count-store.js';
import { recommendJob } from '../features/recommendations/recommendation.job.js';
import { createSqliteRecommendationStore } from '../features/recommendations/sqlite-recommendation-store.js';
import { createLocalLake } from '../pipeline/lake/local-lake.js';
import { fixedClock } from '../platform/clock.js';
import { generateCatalogue } from '../features/ingest/seed.js';

const NOW = '2026-11-27T03:00:00Z';
const TODAY = '2026.11.27';
const clock = fixedClock(NOW);
const ctx: JobContext = { progress: async () => undefined, signal: new AbortController().signal };
const VIEW_FILES = 100;
const EVENTS_PER_FILE = 10_000;

/** Deterministic pseudo-random numbers (mulberry32), so every bench run sees the same view log. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const runId = (i: number) => i.toString(16).padStart(24, '0');

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function prepareCatalogue(dir: string, count: number): Promise<void> {
  const db = openSqlite(path.join(dir, 'bench.db'));
  const store = createSqlitePerformanceStore(db, { clock });
  const runs = generateCatalogue({ count, seed: 42, today: TODAY });
  for (let i = 0; i < runs.length; i += 5_000) await store.upsertMany(runs.slice(i, i + 5_000));
  db.close();
}

async function measureRecommend(dir: string): Promise<object> {
  const db = openSqlite(path.join(dir, 'bench.db'));
  const job = recommendJob({
    performances: createSqlitePerformanceStore(db, { clock }),
    store: createSqliteRecommendationStore(db),
    clock,
  });
  const began = performance.now();
  const summary = await job(ctx);
  const ms = performance.now() - began;
  db.close();
  return { ...summary, seconds: +(ms / 1000).toFixed(2), peakRssMb: peakRssMb() };
}

async function prepareLake(dir: string): Promise<void> {
  const lake = createLocalLake(path.join(dir, 'lake'));
  const random = seededRandom(7);
  const start = Date.parse(NOW) - 40 * 86_400_000;
  for (let f = 0; f < VIEW_FILES; f += 1) {
    const ids: string[] = [];
    const tickets: string[] = [];
    const times: Date[] = [];
    for (let e = 0; e < EVENTS_PER_FILE; e += 1) {
      const n = f * EVENTS_PER_FILE + e;
      ids.push(`${n.toString(16).padStart(8, '0')}-0000-4000-8000-${(n * 7919).toString(16).padStart(12, '0').slice(-12)}`);
      // a skewed popularity: a few runs get most of the views
      tickets.push(runId(Math.floor(5_000 * random() ** 3)));
      times.push(new Date(start + Math.floor(((f + random()) / VIEW_FILES) * 40 * 86_400_000)));
    }
    const col = (name: string, data: unknown[], type: 'STRING' | 'TIMESTAMP') => ({ name, data, type, nullable: true });
    const file = new Uint8Array(
      parquetWriteBuffer({
        codec: 'SNAPPY',
        columnData: [
          col('event_id', ids, 'STRING'),
          col('timestamp', times, 'TIMESTAMP'),
          col(
            'topic',
            ids.map(() => 'View_detail_log'),
            'STRING',
          ),
          col(
            'action',
            ids.map(() => 'view_detail'),
            'STRING',
          ),
          col(
            'user_id',
            ids.map((_, i) => (i % 3 === 0 ? 'anonymous' : `user${i % 500}`)),
            'STRING',
          ),
          col(
            'device',
            ids.map(() => 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)'),
            'STRING',
          ),
          col('ticket_id', tickets, 'STRING'),
          col(
            'title',
            tickets.map((t) => `공연 ${t.slice(0, 8)}`),
            'STRING',
          ),
          col(
            'category',
            tickets.map(() => '콘서트'),
            'STRING',
          ),
        ],
      }),
    );
    const key = `logs/View_detail_log/2026-11-${String(f).padStart(3, '0')}.parquet`;
    await lake.put(key, file);
    // one file written twice, as a redelivering sink would
    if (f === 0) await lake.put(`logs/View_detail_log/2026-11-${String(f).padStart(3, '0')}-again.parquet`, file);
  }
}

async function measurePopular(dir: string): Promise<object> {
  const db = openSqlite(path.join(dir, 'bench.db'));
  const job = popularJob({
    lake: createLocalLake(path.join(dir, 'lake')),
    counts: createSqliteViewCountStore(db),
    rankings: createSqlitePopularStore(db),
    clock,
    rankable: async () => () => true,
  });
  let began = performance.now();
  const first = await job(ctx);
  const firstMs = performance.now() - began;
  began = performance.now();
  const again = await job(ctx);
  const againMs = performance.now() - began;
  db.close();
  return {
    ...first,
    seconds: +(firstMs / 1000).toFixed(2),
    rerunFilesRead: again.filesRead,
    rerunSeconds: +(againMs / 1000).toFixed(2),
    peakRssMb: peakRssMb(),
  };
}

async function child(step: string, dir: string, count: number): Promise<void> {
  let out: object = {};
  if (step === 'prepare-catalogue') await prepareCatalogue(dir, count);
  else if (step === 'recommend') out = await measureRecommend(dir);
  else if (step === 'prepare-lake') await prepareLake(dir);
  else if (step === 'popular') out = await measurePopular(dir);
  else throw new Error(`unknown step ${step}`);
  process.stdout.write(JSON.stringify(out));
}

function inChild(step: string, dir: string, count = 0): Record<string, unknown> {
  const self = fileURLToPath(import.meta.url);
  const out = execFileSync(process.execPath, [self, step, dir, String(count)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out) as Record<string, unknown>;
}

function parent(): void {
  const results: Record<string, unknown> = {};
  for (const count of [10_000, 50_000]) {
    const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-bench-'));
    try {
      inChild('prepare-catalogue', dir, count);
      const r = inChild('recommend', dir);
      results[`recommend ${count / 1000}k`] = r;
      process.stdout.write(`recommend ${count} runs: ${r.seconds} s, peak RSS ${r.peakRssMb} MB (${JSON.stringify(r)})\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-bench-'));
  try {
    inChild('prepare-lake', dir);
    const r = inChild('popular', dir);
    results.popular = r;
    process.stdout.write(
      `popular ${VIEW_FILES * EVENTS_PER_FILE} events (+1 file written twice): ${r.seconds} s, rerun ${r.rerunSeconds} s, peak RSS ${r.peakRssMb} MB (${JSON.stringify(r)})\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [step, dir, count] = process.argv.slice(2);
if (step === undefined) parent();
else await child(step, dir!, Number(count));
