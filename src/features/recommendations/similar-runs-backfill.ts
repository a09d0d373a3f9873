import type { SimilarRunsQueue, SimilarRunsRequest, SimilarRunsSummary } from './recommendation.service.js';

export interface SimilarRunsBackfillDeps {
  /** One background pass (a job process in `serve`); rejects when it fails or is stopped. */
  compute(request: SimilarRunsRequest, signal: AbortSignal): Promise<SimilarRunsSummary>;
  /** Told about every pass, for logs and metrics. */
  onPass?(pass: { status: 'ran'; summary: SimilarRunsSummary; ms: number } | { status: 'failed'; err: unknown; ms: number }): void;
  /** Told when a run is not queued because the queue is full. */
  onDropped?(id: string): void;
  /** Runs asked for in one pass. */
  batchSize?: number;
  /** Runs waiting at most; more are dropped (a later request queues them again). */
  maxPending?: number;
  /** After a failed pass, the wait before the next. */
  retryMs?: number;
  /** A run whose passes failed this many times is given up (the next build covers it). */
  maxAttempts?: number;
}

const DEFAULT_BATCH = 500;
const DEFAULT_MAX_PENDING = 10_000;
const DEFAULT_RETRY_MS = 30_000;
const DEFAULT_MAX_ATTEMPTS = 3;

/**
 * Runs that have no similar-run list yet get one in the background: requests (and catalogue
 * changes) only queue work here, and one pass at a time computes it, so however many ids are asked
 * for, at most one computation runs per process and the request loop never does it.
 */
export class SimilarRunsBackfill implements SimilarRunsQueue {
  private readonly pending = new Map<string, number>();
  /** Runs of the pass that runs: asking for them again adds nothing. */
  private inFlight: ReadonlyMap<string, number> = new Map();
  private sweepWanted = false;
  private sweepFailures = 0;
  private running: Promise<void> | undefined;
  private readonly stop = new AbortController();

  constructor(private readonly deps: SimilarRunsBackfillDeps) {}

  request(id: string): void {
    if (this.stop.signal.aborted || this.pending.has(id) || this.inFlight.has(id)) return;
    if (this.pending.size >= (this.deps.maxPending ?? DEFAULT_MAX_PENDING)) {
      this.deps.onDropped?.(id);
      return;
    }
    this.pending.set(id, 0);
    this.kick();
  }

  /** Also look for runs without a list (the catalogue changed). */
  sweep(): void {
    if (this.stop.signal.aborted) return;
    this.sweepWanted = true;
    this.kick();
  }

  /** Runs waiting for a pass. */
  size(): number {
    return this.pending.size;
  }

  /** Resolves once nothing is queued or running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops the pass that runs (its process is told to stop) and queues nothing more. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.running;
  }

  private kick(): void {
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
  }

  private async drain(): Promise<void> {
    const signal = this.stop.signal;
    while (!signal.aborted && (this.pending.size > 0 || this.sweepWanted)) {
      const batch = new Map<string, number>();
      for (const [id, attempts] of this.pending) {
        if (batch.size >= (this.deps.batchSize ?? DEFAULT_BATCH)) break;
        batch.set(id, attempts);
        this.pending.delete(id);
      }
      this.inFlight = batch;
      const sweep = this.sweepWanted;
      this.sweepWanted = false;
      const began = performance.now();
      try {
        const summary = await this.deps.compute({ ids: [...batch.keys()], sweep }, signal);
        this.inFlight = new Map();
        if (sweep) this.sweepFailures = 0;
        this.deps.onPass?.({ status: 'ran', summary, ms: performance.now() - began });
      } catch (err) {
        this.inFlight = new Map();
        if (signal.aborted) return;
        this.deps.onPass?.({ status: 'failed', err, ms: performance.now() - began });
        for (const [id, attempts] of batch) {
          if (attempts + 1 < (this.deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS) && !this.pending.has(id)) this.pending.set(id, attempts + 1);
        }
        if (sweep && ++this.sweepFailures < (this.deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) this.sweepWanted = true;
        await this.wait(this.deps.retryMs ?? DEFAULT_RETRY_MS);
      }
    }
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.stop.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.stop.signal.addEventListener('abort', done, { once: true });
    });
  }
}
