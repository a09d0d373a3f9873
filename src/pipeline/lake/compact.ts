import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TOPICS, type Topic } from '../events.js';
import { mergeDayFiles } from './duckdb-day-merge.js';
import type { Lake, LakeObject } from './lake.js';
import { dayFileKey, FILE_SPAN_MS, parseLakeKey, SPAN_FREE_SOURCES, stampDay, topicPrefix } from './layout.js';

/**
 * `compact-lake`: the sink's small files of closed KST days become one file per topic and day
 * (`logs/{topic}/{YYYYMMDD}-day.parquet`), sorted by `timestamp`, in row groups with column
 * statistics (ADR 18). Each day: merge (DuckDB, each `event_id` once), verify, store; once every
 * day of the run is stored and the readers' grace has passed, delete the sources. A crash at
 * any point leaves either the sources alone, or the sources and a complete day file holding the
 * same events (every reader removes duplicates by `event_id`); the next run merges the day file
 * with what is left and finishes.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const KST_MS = 9 * 60 * 60 * 1000;

/**
 * How long after a KST day ends it is closed: the file of a buffer holding the day's last events
 * is written within the sink's age limit (at most an hour by default) of their arrival, and its
 * events may run `FILE_SPAN_MS` past midnight. A file named on a compacted day that still comes
 * later (a sink that was away) is merged by the next run.
 */
export const CLOSE_AFTER_MS = FILE_SPAN_MS + 60 * 60 * 1000;

/** The steps a test can stop a run at (`TICKETMOA_COMPACT_CRASH_AT`, see the `compact-lake` command). */
export type CompactStep = 'merged' | 'stored' | 'deleting';

/** One day of one topic to compact. */
export interface DayPlan {
  topic: Topic;
  /** KST day, `YYYY-MM-DD`. */
  day: string;
  /** Where the day file goes. */
  key: string;
  /** The sink files named on that day. */
  sources: LakeObject[];
  /** The day file of an earlier run, merged again with the sources that came (or stayed) since. */
  dayFile?: LakeObject;
}

/** `YYYY-MM-DD` of the KST day of an instant. */
export function kstDay(ms: number): string {
  return new Date(ms + KST_MS).toISOString().slice(0, 10);
}

/** The last KST day that is closed at `now`: its end is at least `closeAfterMs` past. Today never is. */
export function lastClosedDay(now: Date, closeAfterMs = CLOSE_AFTER_MS): string {
  return kstDay(now.getTime() - Math.max(closeAfterMs, 0) - DAY_MS);
}

/** The day before a `YYYY-MM-DD` day. */
function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}

/**
 * Which days of a topic's listing to compact (pure): each closed day (`≤ lastDay`) with at least
 * one sink file named on it, with that day's earlier day file if any. Files of span-free sources
 * (the demo's) and names the layout does not know are left alone.
 */
export function planCompaction(topic: Topic, objects: readonly LakeObject[], lastDay: string): DayPlan[] {
  const days = new Map<string, DayPlan>();
  const plan = (day: string) => {
    let p = days.get(day);
    if (!p) {
      p = { topic, day, key: dayFileKey(topic, day), sources: [] };
      days.set(day, p);
    }
    return p;
  };
  for (const object of objects) {
    const parsed = parseLakeKey(object.key);
    if (parsed?.topic !== topic) continue;
    if (parsed.day !== undefined) {
      if (parsed.day <= lastDay) plan(parsed.day).dayFile = object;
    } else if (parsed.batch !== undefined && !SPAN_FREE_SOURCES.has(parsed.batch.source)) {
      const day = stampDay(parsed.batch.stamp);
      if (day <= lastDay) plan(day).sources.push(object);
    }
  }
  return [...days.values()].filter((p) => p.sources.length > 0).sort((a, b) => (a.day < b.day ? -1 : 1));
}

export interface CompactOptions {
  /** One topic, or all. */
  topic?: Topic;
  /** Only days before this KST day (`YYYY-MM-DD`); never a day that is not closed. */
  before?: string;
  /** Plan and report, change nothing. */
  dryRun?: boolean;
  closeAfterMs?: number;
  /**
   * Between storing the day files and deleting their sources: a reader that listed the lake just
   * before a day file appeared still finds the sources it listed (default 30 s).
   */
  graceMs?: number;
  rowGroupSize?: number;
  /** DuckDB's memory limit while merging (default 256MB). */
  memoryLimit?: string;
}

export interface CompactDeps {
  lake: Lake;
  now: Date;
  /** A folder for the downloads, the new files and DuckDB's spill (one day at a time). */
  tempDir: string;
  progress?: (message: string) => void | Promise<void>;
  /** Called after each step (a crash test stops the process there). */
  afterStep?: (step: CompactStep, plan: DayPlan) => void | Promise<void>;
  signal?: AbortSignal;
}

export interface CompactedDay {
  topic: Topic;
  day: string;
  sourceFiles: number;
  sourceBytes: number;
  events: number;
  bytes: number;
  rowGroups: number;
}

export interface CompactSummary {
  lastDay: string;
  dryRun: boolean;
  days: CompactedDay[];
  sourceFiles: number;
  sourceBytes: number;
  filesWritten: number;
  bytesWritten: number;
  events: number;
  filesDeleted: number;
}

export async function compactLake(deps: CompactDeps, options: CompactOptions = {}): Promise<CompactSummary> {
  const { lake } = deps;
  let lastDay = lastClosedDay(deps.now, options.closeAfterMs);
  if (options.before !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(options.before) || Number.isNaN(Date.parse(`${options.before}T00:00:00Z`))) {
      throw new Error(`--before wants a day YYYY-MM-DD, not ${JSON.stringify(options.before)}`);
    }
    const cap = dayBefore(options.before);
    if (cap < lastDay) lastDay = cap;
  }
  const summary: CompactSummary = {
    lastDay,
    dryRun: options.dryRun === true,
    days: [],
    sourceFiles: 0,
    sourceBytes: 0,
    filesWritten: 0,
    bytesWritten: 0,
    events: 0,
    filesDeleted: 0,
  };
  const plans: DayPlan[] = [];
  for (const topic of options.topic === undefined ? TOPICS : [options.topic]) {
    plans.push(...planCompaction(topic, await lake.list(topicPrefix(topic)), lastDay));
  }
  for (const p of plans) {
    summary.sourceFiles += p.sources.length;
    summary.sourceBytes += p.sources.reduce((n, o) => n + o.size, 0);
  }
  await deps.progress?.(`${plans.length} topic-days to compact (closed days up to ${lastDay}), ${summary.sourceFiles} small files`);
  if (options.dryRun) {
    for (const p of plans) {
      summary.days.push({
        topic: p.topic,
        day: p.day,
        sourceFiles: p.sources.length,
        sourceBytes: p.sources.reduce((n, o) => n + o.size, 0),
        events: 0,
        bytes: 0,
        rowGroups: 0,
      });
    }
    return summary;
  }

  await mkdir(deps.tempDir, { recursive: true });
  const stored: { plan: DayPlan; bytes: number }[] = [];
  for (const p of plans) {
    deps.signal?.throwIfAborted();
    const work = await mkdtemp(path.join(deps.tempDir, `${p.topic}-${p.day}-`));
    try {
      const inputs: string[] = [];
      for (const object of p.dayFile ? [p.dayFile, ...p.sources] : p.sources) {
        const body = await lake.get(object.key);
        if (body === undefined) break; // removed since the listing: another run is at this day
        const file = path.join(work, `${inputs.length}.parquet`);
        await writeFile(file, body);
        inputs.push(file);
      }
      if (inputs.length < p.sources.length + (p.dayFile ? 1 : 0)) {
        // a day file without every listed source could replace one that holds them: leave the day to the next run
        await deps.progress?.(`${p.topic} ${p.day}: a file went away while reading; left for the next run`);
        continue;
      }
      const output = path.join(work, 'day.parquet');
      const spill = path.join(work, 'spill');
      await mkdir(spill);
      const merged = await mergeDayFiles({
        topic: p.topic,
        inputs,
        output,
        rowGroupSize: options.rowGroupSize,
        memoryLimit: options.memoryLimit,
        tempDirectory: spill,
        note: JSON.stringify({ day: p.day, sources: p.sources.length + (p.dayFile ? 1 : 0) }),
      });
      await deps.afterStep?.('merged', p);
      await lake.putFile(p.key, output);
      await deps.afterStep?.('stored', p);
      stored.push({ plan: p, bytes: merged.bytes });
      summary.days.push({
        topic: p.topic,
        day: p.day,
        sourceFiles: p.sources.length,
        sourceBytes: p.sources.reduce((n, o) => n + o.size, 0),
        events: merged.events,
        bytes: merged.bytes,
        rowGroups: merged.rowGroups,
      });
      summary.filesWritten += 1;
      summary.bytesWritten += merged.bytes;
      summary.events += merged.events;
      await deps.progress?.(
        `${p.topic} ${p.day}: ${p.sources.length} files, ${merged.sourceRows} rows → ${merged.events} events, ${merged.rowGroups} row groups, ${merged.bytes} bytes`,
      );
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  if (stored.length === 0) return summary;

  // The stored day files are checked in the lake itself before any source goes.
  for (const topic of new Set(stored.map((s) => s.plan.topic))) {
    const sizes = new Map((await lake.list(topicPrefix(topic))).map((o) => [o.key, o.size]));
    for (const { plan, bytes } of stored.filter((s) => s.plan.topic === topic)) {
      if (sizes.get(plan.key) !== bytes)
        throw new Error(`${plan.key} is not in the lake as written (${sizes.get(plan.key) ?? 'absent'} bytes, ${bytes} written); sources kept`);
    }
  }
  const graceMs = options.graceMs ?? 30_000;
  if (graceMs > 0) {
    await deps.progress?.(`waiting ${graceMs} ms for readers that listed the lake before the day files`);
    await sleep(graceMs, undefined, { signal: deps.signal });
  }
  for (const { plan } of stored) {
    for (const [i, source] of plan.sources.entries()) {
      await lake.delete(source.key);
      summary.filesDeleted += 1;
      if (i === 0) await deps.afterStep?.('deleting', plan);
    }
  }
  await deps.progress?.(`deleted ${summary.filesDeleted} small files`);
  return summary;
}
