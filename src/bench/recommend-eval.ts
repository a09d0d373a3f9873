/**
 * Offline evaluation of the recommendations (docs/recommendations.md, ADR 19), and their cost at
 * scale.   npm run bench:recommend [-- --no-scale | --scale-only] [--seed N]
 *
 * 1. Leave-last-out over a simulated population with hidden tastes: each viewer's last view is
 *    hidden, the co-views are counted from everything else, and the lists of the viewer's
 *    previous run are asked whether they hold the hidden one: hit-rate@3 (the 3 shown) and
 *    MRR@10. Text only, co-view only and the blend, for each co-view measure.
 * 2. The same on the demo's synthetic view log.
 * 3. The whole `recommend` job at 50,000 runs with a month of views in a local lake, in a child
 *    process of its own so that peak RSS is the job's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { lakeViewHistory } from '../composition/lake-view-history.js';
import { openSqlite } from '../db/sqlite/connection.js';
import { isCurrent, runText, type Performance } from '../features/catalog/index.js';
import { createSqlitePerformanceStore } from '../features/catalog/sqlite-performance-store.js';
import { generateCatalogue, syntheticViews } from '../features/ingest/index.js';
import { createRandom, type Random } from '../features/ingest/seed-random.js';
import type { JobContext } from '../features/jobs/index.js';
import { coViewIndex, type CoViewIndex } from '../features/recommendations/co-views.js';
import { BLEND_PARAMS, type BlendParams, type CoViewMeasure } from '../features/recommendations/recommend-params.js';
import { recommendJob } from '../features/recommendations/recommendation.job.js';
import { rankSimilarRuns, type Scoring, type SimilarityDoc } from '../features/recommendations/similarity-engine.js';
import { similarityDoc } from '../features/recommendations/similarity-text.js';
import { createSqliteRecommendationStore } from '../features/recommendations/sqlite-recommendation-store.js';
import type { ViewRecord } from '../features/recommendations/view-history.js';
import { createMemoryLake, putEventFile } from '../pipeline/index.js';
import { createLocalLake } from '../pipeline/lake/local-lake.js';
import { fixedClock } from '../platform/clock.js';
import { addDays, kstTimestamp } from '../platform/kst.js';

const NOW = '2026-11-27T03:00:00Z';
const TODAY = '2026.11.27';
const DAY_MS = 86_400_000;
const clock = fixedClock(NOW);
const ctx: JobContext = { progress: async () => undefined, signal: new AbortController().signal };
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

// ---- 1. a simulated population with hidden tastes -------------------------------------------

/** Views of one simulated viewer, oldest first, and the runs that are every region's blockbusters. */
interface Population {
  histories: string[][];
  popular: Set<string>;
}

/** The population's seed: `-- --seed N` checks that the ranking of the methods is not one seed's luck. */
const SEED = process.argv.includes('--seed') ? Number(process.argv[process.argv.indexOf('--seed') + 1]) : 11;

const POPULATION = { runs: 3_000, viewers: [6_000, 1_500], pairingsPerRegion: 12, popularPerRegion: 3 } as const;

/** Same region, starting between the run's start and 90 days later, current, not itself. */
function windows(runs: readonly Performance[]): Map<string, Performance[]> {
  const out = new Map<string, Performance[]>();
  for (const a of runs) {
    const last = addDays(a.start_date, 90);
    out.set(
      a._id,
      runs.filter((b) => b !== a && b.region === a.region && b.start_date >= a.start_date && b.start_date <= last),
    );
  }
  return out;
}

/**
 * Viewers browse from run to run inside the candidate window of the run they are on. Hidden
 * tastes: 1–2 favourite categories, a favourite venue, and pairings (two runs of unrelated
 * categories that a group of viewers views together, like a jazz night and a puppet show a family
 * books in one trip). Everyone views the region's blockbusters now and then, and some views are
 * noise.
 */
function simulate(runs: readonly Performance[], r: Random, viewers: number): Population {
  const inWindow = windows(runs);
  const byRegion = new Map<string, Performance[]>();
  for (const run of runs) byRegion.set(run.region ?? '', [...(byRegion.get(run.region ?? '') ?? []), run]);
  const popular = new Set<string>();
  const pairings = new Map<string, [Performance, Performance][]>();
  for (const [region, list] of byRegion) {
    for (const run of r.distinct(list, POPULATION.popularPerRegion)) popular.add(run._id);
    const pairs: [Performance, Performance][] = [];
    for (let k = 0; k < 200 && pairs.length < POPULATION.pairingsPerRegion; k += 1) {
      const a = r.pick(list);
      const partners = inWindow.get(a._id)!.filter((b) => b.category !== a.category);
      if (partners.length > 0) pairs.push([a, r.pick(partners)]);
    }
    pairings.set(region, pairs);
  }
  const regions = [...byRegion.keys()].map((k) => [k, byRegion.get(k)!.length] as const);
  // a long tail: a few runs draw most views, many draw a handful (thin co-view evidence)
  const appeal = new Map(runs.map((run) => [run._id, 0.02 + r.next() ** 4]));
  const pickOr = (list: readonly Performance[]): Performance | undefined => {
    let total = 0;
    for (const x of list) total += appeal.get(x._id)!;
    let left = r.next() * total;
    for (const x of list) {
      left -= appeal.get(x._id)!;
      if (left < 0) return x;
    }
    return list[list.length - 1];
  };
  const histories: string[][] = [];
  for (let u = 0; u < viewers; u += 1) {
    const region = r.weighted(regions);
    const local = byRegion.get(region)!;
    const categories = r.distinct([...new Set(local.map((x) => x.category))], r.int(1, 2));
    const venue = r.pick(local).location;
    const pairing = r.chance(0.6) ? r.pick(pairings.get(region)!) : undefined;
    const views: Performance[] = [];
    let at = pickOr(local.filter((x) => categories.includes(x.category)).concat(local))!;
    const length = r.int(6, 14);
    while (views.length < length) {
      views.push(at);
      const near = inWindow.get(at._id)!;
      const partner = pairing && at === pairing[0] ? pairing[1] : undefined;
      const p = r.next();
      let next: Performance | undefined;
      if (partner && r.chance(0.85)) next = partner;
      else if (p < 0.35) next = pickOr(near.filter((x) => categories.includes(x.category)));
      else if (p < 0.5) next = pickOr(near.filter((x) => x.location === venue));
      else if (p < 0.65) next = pickOr(near.filter((x) => popular.has(x._id)));
      else if (p < 0.8 && pairing) next = pairing[0];
      else next = pickOr(near);
      at = next ?? pickOr(local)!;
    }
    histories.push(views.map((v) => v._id));
  }
  return { histories, popular };
}

async function* batchesOf(views: readonly ViewRecord[]): AsyncIterable<readonly ViewRecord[]> {
  for (let i = 0; i < views.length; i += 10_000) yield views.slice(i, i + 10_000);
  await Promise.resolve();
}

interface Scores {
  cases: number;
  hitRate3: number;
  mrr10: number;
  /** Queries whose first recommendation is a blockbuster everyone views. */
  popularFirst: number;
}

/** Leave-last-out: hides each viewer's last view and asks the lists of the run viewed before it. */
async function leaveLastOut(
  docs: readonly SimilarityDoc[],
  histories: readonly string[][],
  popular: ReadonlySet<string>,
): Promise<{ coViews: (measure: CoViewMeasure) => Promise<CoViewIndex>; score: (s: Scoring, c?: CoViewIndex, b?: BlendParams) => Promise<Scores> }> {
  const start = Date.parse(NOW) - 60 * DAY_MS;
  const train: ViewRecord[] = [];
  const cases: { query: string; target: string }[] = [];
  const byId = new Map(docs.map((d) => [d.id, d]));
  histories.forEach((h, u) => {
    h.forEach((runId, k) => {
      if (k < h.length - 1 || h.length < 3) train.push({ viewer: `u${u}`, runId, at: start + k * DAY_MS });
    });
    if (h.length < 3) return;
    const query = h[h.length - 2]!;
    const target = h[h.length - 1]!;
    const q = byId.get(query)!;
    const t = byId.get(target)!;
    const ok = t.region === q.region && t.start_date >= q.start_date && t.start_date <= addDays(q.start_date, 90) && target !== query;
    if (ok) cases.push({ query, target });
  });
  const onlyFor = new Set(cases.map((c) => c.query));
  return {
    coViews: (measure) => coViewIndex(docs, batchesOf(train), { params: { measure } }),
    score: async (scoring, coViews, blend) => {
      const lists = await rankSimilarRuns(docs, { limit: 10, onlyFor, scoring, coViews: coViews?.neighbours, blend });
      let hits = 0;
      let rr = 0;
      let popularFirst = 0;
      for (const { query, target } of cases) {
        const ids = (lists.get(query) ?? []).map((s) => s.id);
        const rank = ids.indexOf(target);
        if (rank >= 0 && rank < 3) hits += 1;
        if (rank >= 0) rr += 1 / (rank + 1);
        if (ids[0] !== undefined && popular.has(ids[0])) popularFirst += 1;
      }
      const n = Math.max(1, cases.length);
      return { cases: cases.length, hitRate3: hits / n, mrr10: rr / n, popularFirst: popularFirst / n };
    },
  };
}

const fmt = (s: Scores) =>
  `hit-rate@3 ${s.hitRate3.toFixed(3)}  MRR@10 ${s.mrr10.toFixed(3)}  blockbuster first ${(s.popularFirst * 100).toFixed(1)} %`;

async function evaluatePopulation(viewers: number): Promise<void> {
  const catalogue = generateCatalogue({ count: POPULATION.runs, seed: 7, today: TODAY }).filter((p) => isCurrent(p, TODAY));
  const docs = catalogue.map((p) => similarityDoc(runText(p)));
  const { histories, popular } = simulate(catalogue, createRandom(SEED), viewers);
  const views = histories.reduce((s, h) => s + h.length, 0);
  const evaluation = await leaveLastOut(docs, histories, popular);
  const text = await evaluation.score('text');
  out(
    `\nSimulated population (seed ${SEED}): ${catalogue.length} current runs, ${histories.length} viewers, ${views} views; ${text.cases} leave-last-out cases`,
  );
  out(`  text only                ${fmt(text)}`);
  for (const measure of ['cosine', 'jaccard', 'lift', 'llr'] as const) {
    const coViews = await evaluation.coViews(measure);
    out(`  co-view only  ${measure.padEnd(8)}   ${fmt(await evaluation.score('co-view', coViews))}`);
    out(`  blend         ${measure.padEnd(8)}   ${fmt(await evaluation.score('blend', coViews))}`);
  }
  const coViews = await evaluation.coViews('cosine');
  out(`  blend cosine, one parameter changed from BLEND_PARAMS (${JSON.stringify(BLEND_PARAMS)}):`);
  const variants: [string, Partial<BlendParams>][] = [
    ...[1, 3, 5, 8, 20].map((halfEvidence): [string, Partial<BlendParams>] => [`halfEvidence ${halfEvidence}`, { halfEvidence }]),
    ...[0, 1, 5].map((shrink): [string, Partial<BlendParams>] => [`shrink ${shrink}`, { shrink }]),
    ...[1, 3].map((minCommon): [string, Partial<BlendParams>] => [`minCommon ${minCommon}`, { minCommon }]),
    ['scale raw', { scale: 'raw' }],
  ];
  for (const [name, change] of variants)
    out(`    ${name.padEnd(16)} ${fmt(await evaluation.score('blend', coViews, { ...BLEND_PARAMS, ...change }))}`);
}

// ---- 2. the demo's synthetic view log --------------------------------------------------------

async function evaluateDemo(): Promise<void> {
  const catalogue = generateCatalogue({ count: 500, seed: 20_260_101, today: TODAY });
  const events = syntheticViews(catalogue, { now: new Date(NOW), seed: 20_260_101 });
  const lake = createMemoryLake();
  await putEventFile(lake, { topic: 'View_detail_log', source: 'demo', partition: 0, firstOffset: 0, firstTimestamp: events[0]!.timestamp }, events);
  const docs = catalogue.map((p) => ({ ...similarityDoc(runText(p)), current: isCurrent(p, TODAY) }));
  const history = lakeViewHistory(lake).viewsBetween(new Date(Date.parse(NOW) - 90 * DAY_MS), new Date(NOW));
  const coViews = await coViewIndex(docs, history);
  const text = await rankSimilarRuns(docs, { scoring: 'text' });
  const blend = await rankSimilarRuns(docs, { coViews: coViews.neighbours });
  let same = 0;
  for (const [id, list] of text) if (JSON.stringify(list) === JSON.stringify(blend.get(id))) same += 1;
  out(`\nDemo synthetic view log: ${events.length} views of ${new Set(events.map((e) => e.ticket_id)).size} runs, all anonymous (no session key)`);
  out(
    `  signed-in viewers ${coViews.viewers}, co-viewed pairs ${coViews.pairs}: no leave-last-out case exists (a case needs a viewer with two views)`,
  );
  out(`  blend lists equal to text lists: ${same} of ${text.size} runs (thin evidence → text decides)`);
}

// ---- 3. the job at 50k runs and a month of views ---------------------------------------------

const SCALE = { runs: 50_000, days: 30, viewsPerDay: 100_000, signedIn: 150_000 } as const;

async function prepareScale(dir: string): Promise<object> {
  const db = openSqlite(path.join(dir, 'bench.db'));
  const store = createSqlitePerformanceStore(db, { clock });
  const runs = generateCatalogue({ count: SCALE.runs, seed: 42, today: TODAY });
  for (let i = 0; i < runs.length; i += 5_000) await store.upsertMany(runs.slice(i, i + 5_000));
  db.close();
  const current = runs.filter((p) => isCurrent(p, TODAY)).map((p) => p._id);
  const lake = createLocalLake(path.join(dir, 'lake'));
  const r = createRandom(5);
  // every signed-in viewer keeps coming back to 4 neighbouring runs (their tastes); the rest of the views follow a skewed popularity
  const tasteRuns = Math.min(20_000, current.length) - 4;
  const favourite = (u: number) => current[((Math.imul(u, 2654435761) >>> 0) % tasteRuns) + r.int(0, 3)]!;
  const start = Date.parse(NOW) - SCALE.days * DAY_MS;
  for (let day = 0; day < SCALE.days; day += 1) {
    const ids: string[] = [];
    const users: string[] = [];
    const tickets: string[] = [];
    const times: Date[] = [];
    for (let e = 0; e < SCALE.viewsPerDay; e += 1) {
      const anonymous = r.chance(1 / 3);
      const u = Math.floor(SCALE.signedIn * r.next() ** 2);
      ids.push(`${day.toString(16).padStart(8, '0')}-${e.toString(16).padStart(4, '0')}-4000-8000-${r.hex(12)}`);
      users.push(anonymous ? 'anonymous' : `user${u}`);
      tickets.push(!anonymous && r.chance(0.4) ? favourite(u) : current[Math.floor(current.length * r.next() ** 3)]!);
      times.push(new Date(start + day * DAY_MS + r.int(0, DAY_MS - 1)));
    }
    const col = (name: string, data: unknown[], type: 'STRING' | 'TIMESTAMP') => ({ name, data, type, nullable: true });
    const file = parquetWriteBuffer({
      codec: 'SNAPPY',
      columnData: [
        col('event_id', ids, 'STRING'),
        col('timestamp', times, 'TIMESTAMP'),
        col('user_id', users, 'STRING'),
        col('ticket_id', tickets, 'STRING'),
      ],
    });
    await lake.put(
      `logs/View_detail_log/${kstTimestamp(times[0]!).slice(0, 10).replaceAll('-', '')}T000000.000-bench-p0-o${String(day).padStart(12, '0')}.parquet`,
      new Uint8Array(file),
    );
  }
  return { events: SCALE.days * SCALE.viewsPerDay };
}

async function measureScale(dir: string, withViews: boolean): Promise<object> {
  const db = openSqlite(path.join(dir, 'bench.db'));
  const job = recommendJob({
    performances: createSqlitePerformanceStore(db, { clock }),
    store: createSqliteRecommendationStore(db),
    clock,
    ...(withViews ? { views: lakeViewHistory(createLocalLake(path.join(dir, 'lake'))) } : {}),
  });
  const began = performance.now();
  // when the job began reading views, and when the co-views were ready
  let readingAt = 0;
  let coViewsAt = 0;
  const summary = await job({
    ...ctx,
    progress: async (message) => {
      if (message.startsWith('reading views')) readingAt = performance.now();
      if (message.startsWith('co-views of')) coViewsAt = performance.now();
      await ctx.progress(message);
    },
  });
  const ms = performance.now() - began;
  db.close();
  const phase = withViews ? { coViewSeconds: +((coViewsAt - readingAt) / 1000).toFixed(1) } : {};
  return { ...summary, ...phase, seconds: +(ms / 1000).toFixed(1), peakRssMb: peakRssMb() };
}

function inChild(step: string, dir: string): Record<string, unknown> {
  const self = fileURLToPath(import.meta.url);
  const result = execFileSync(process.execPath, [self, step, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(result) as Record<string, unknown>;
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function parent(): Promise<void> {
  if (!process.argv.includes('--scale-only')) {
    for (const viewers of POPULATION.viewers) await evaluatePopulation(viewers);
    await evaluateDemo();
  }
  if (process.argv.includes('--no-scale')) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-recommend-'));
  try {
    const prepared = inChild('prepare', dir);
    out(
      `\nScale: ${SCALE.runs} runs, ${String(prepared.events)} views over ${SCALE.days} days (1/3 anonymous, ${SCALE.signedIn} signed-in viewers), local lake`,
    );
    const text = inChild('text', dir);
    out(`  text only (no view history): ${String(text.seconds)} s, peak RSS ${String(text.peakRssMb)} MB`);
    const blend = inChild('blend', dir);
    out(`  co-views + blend:            ${String(blend.seconds)} s, peak RSS ${String(blend.peakRssMb)} MB (${JSON.stringify(blend)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [step, dir] = process.argv.slice(2);
if (step === undefined || step.startsWith('--')) await parent();
else {
  let result: object = {};
  if (step === 'prepare') result = await prepareScale(dir!);
  else if (step === 'text') result = await measureScale(dir!, false);
  else if (step === 'blend') result = await measureScale(dir!, true);
  else throw new Error(`unknown step ${step}`);
  process.stdout.write(JSON.stringify(result));
}
