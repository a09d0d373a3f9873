import { performance } from 'node:perf_hooks';
import type { Clock } from '../../platform/clock.js';
import type { JobLeaseStore } from './job-lease.store.js';

/** What a running job gets: a progress line sink that also keeps the lease alive, and a stop signal. */
export interface JobContext {
  progress(message: string): Promise<void>;
  signal: AbortSignal;
}

/** `ms` is the run's real duration (a monotonic clock, whatever the injected clock says). */
export type JobOutcome<S> = { status: 'ran'; summary: S; ms: number } | { status: 'skipped'; heldBy: string | null; until: number };

export interface JobRunnerDeps {
  leases: JobLeaseStore;
  clock: Clock;
  /** Identifies this process in the lease (host, pid, random part). */
  holder: string;
}

export interface RunOptions {
  /** Stops the job at its next progress point; it then releases the lease without finishing. */
  signal?: AbortSignal;
  /** Progress lines (the CLI prints them, serve logs them). */
  onProgress?: (message: string) => void;
}

export class JobStoppedError extends Error {
  constructor() {
    super('job stopped');
    this.name = 'JobStoppedError';
  }
}

/**
 * Runs a job under its lease: at most one run per database at a time, in any number of processes.
 * The lease is renewed on progress, so a long run keeps it and a crashed one loses it after `ttlMs`.
 */
export class JobRunner<S> {
  constructor(
    readonly name: string,
    private readonly work: (ctx: JobContext) => Promise<S>,
    private readonly ttlMs: number,
    private readonly deps: JobRunnerDeps,
  ) {}

  async run(opts: RunOptions = {}): Promise<JobOutcome<S>> {
    const signal = opts.signal ?? new AbortController().signal;
    const { leases, clock, holder } = this.deps;
    const started = clock.now().getTime();
    if (!(await leases.tryAcquire(this.name, holder, started, this.ttlMs))) {
      const record = await leases.get(this.name);
      return { status: 'skipped', heldBy: record?.holder ?? null, until: record?.expiresAt ?? 0 };
    }
    const began = performance.now();
    let renewedAt = started;
    const ctx: JobContext = {
      signal,
      progress: async (message) => {
        opts.onProgress?.(message);
        const now = clock.now().getTime();
        if (now - renewedAt >= this.ttlMs / 3) {
          renewedAt = now;
          if (!(await leases.renew(this.name, holder, now, this.ttlMs))) throw new Error(`lost the ${this.name} lease`);
        }
        if (signal.aborted) throw new JobStoppedError();
      },
    };
    try {
      const summary = await this.work(ctx);
      const finished = clock.now().getTime();
      await leases.release(this.name, holder, finished, JSON.stringify(summary));
      return { status: 'ran', summary, ms: Math.round(performance.now() - began) };
    } catch (err) {
      await leases.release(this.name, holder, clock.now().getTime());
      throw err;
    }
  }

  /** Whether the last finished run (by any process) is at least `intervalMs` old, or there was none. */
  async isDue(intervalMs: number): Promise<boolean> {
    const record = await this.deps.leases.get(this.name);
    const last = record?.lastFinishedAt;
    return last === undefined || this.deps.clock.now().getTime() - last >= intervalMs;
  }

  /** Runs when the last finished run (by any process) is at least `intervalMs` old. */
  async runIfDue(intervalMs: number, opts: RunOptions = {}): Promise<JobOutcome<S> | undefined> {
    if (!(await this.isDue(intervalMs))) return undefined;
    return this.run(opts);
  }
}
