import type { JobOutcome, RunOptions } from './job-runner.js';
import { JobStoppedError } from './job-runner.js';

/**
 * What a schedule runs: a `JobRunner` in this process, or an adapter that runs the job in
 * another process. A stopped run rejects with `JobStoppedError`.
 */
export interface ScheduledJob {
  readonly name: string;
  runIfDue(intervalMs: number, opts?: RunOptions): Promise<JobOutcome<unknown> | undefined>;
}

export interface Schedule {
  /** Checks once whether the job is due and runs it (what the timer calls). */
  tick(): Promise<JobOutcome<unknown> | undefined>;
  /** Stops the timer and the running job (it releases its lease), and waits for it. */
  stop(): Promise<void>;
}

/** How often a schedule looks at the store; the interval itself is measured from the last finished run. */
export const SCHEDULE_CHECK_MS = 60_000;

/**
 * Runs a job every `intervalMs`, counted from its last finished run in the store, so restarts
 * and several instances do not multiply runs, and the lease keeps them from overlapping.
 */
export function scheduleJob(
  job: ScheduledJob,
  opts: {
    intervalMs: number;
    /** The first check runs the job whenever it last ran (new data that should not wait an interval). */
    firstRunNow?: boolean;
    checkMs?: number;
    onOutcome?: (outcome: JobOutcome<unknown>) => void;
    onProgress?: (message: string) => void;
    onError: (err: unknown) => void;
  },
): Schedule {
  const abort = new AbortController();
  let running: Promise<JobOutcome<unknown> | undefined> | undefined;
  const tick = async (intervalMs = opts.intervalMs) => {
    if (running || abort.signal.aborted) return undefined;
    running = job.runIfDue(intervalMs, { signal: abort.signal, onProgress: opts.onProgress });
    try {
      const outcome = await running;
      if (outcome) opts.onOutcome?.(outcome);
      return outcome;
    } catch (err) {
      if (!(err instanceof JobStoppedError)) opts.onError(err);
      return undefined;
    } finally {
      running = undefined;
    }
  };
  const timer = setInterval(() => void tick(), Math.min(opts.intervalMs, opts.checkMs ?? SCHEDULE_CHECK_MS));
  timer.unref();
  const first = setTimeout(() => void tick(opts.firstRunNow ? 0 : opts.intervalMs), 1_000);
  first.unref();
  return {
    tick: () => tick(),
    stop: async () => {
      clearInterval(timer);
      clearTimeout(first);
      abort.abort();
      await running?.catch(() => undefined);
    },
  };
}
