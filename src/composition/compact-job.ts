import path from 'node:path';
import type { Config } from '../config/config.js';
import type { JobContext } from '../features/jobs/index.js';
import type { Clock } from '../platform/clock.js';
import { CLOSE_AFTER_MS, compactLake, type CompactOptions, type CompactStep, type CompactSummary } from '../pipeline/lake/compact.js';
import { FILE_SPAN_MS } from '../pipeline/lake/layout.js';
import type { Lake } from '../pipeline/lake/lake.js';

/** The lease is renewed after each day merged; a run that died frees it after this long. */
export const COMPACT_LEASE_MS = 10 * 60_000;

export interface CompactJobDeps {
  lake: Lake;
  clock: Clock;
  config: Config;
  /** For crash tests: called after each step (`TICKETMOA_COMPACT_CRASH_AT`, read by the command). */
  afterStep?: (step: CompactStep) => void;
}

/**
 * When a KST day is closed for this configuration: a sink set to flush later than the hour
 * (`LOG_FLUSH_MAX_AGE_MS`) keeps a day open that much longer.
 */
export function closeAfterMs(config: Config): number {
  const age = Math.max(config.pipeline.flushMaxAgeMs, config.pipeline.sinkCommandFlushMaxAgeMs);
  return Math.max(CLOSE_AFTER_MS, FILE_SPAN_MS + age);
}

/** `compact-lake` as a job (the daily schedule and the command): closed days of every topic. */
export function compactLakeJob(deps: CompactJobDeps, options: CompactOptions = {}): (ctx: JobContext) => Promise<CompactSummary> {
  return (ctx) =>
    compactLake(
      {
        lake: deps.lake,
        now: deps.clock.now(),
        tempDir: path.join(deps.config.dataDir, 'compact-tmp'),
        progress: (message) => ctx.progress(message),
        afterStep: (step) => {
          deps.afterStep?.(step);
          // crash tests: die here as kill -9 would (no cleanup, no lease release)
          if (deps.config.compactCrashAt === step) process.kill(process.pid, 'SIGKILL');
        },
        signal: ctx.signal,
      },
      { closeAfterMs: closeAfterMs(deps.config), ...options },
    );
}
