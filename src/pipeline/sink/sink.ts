import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../platform/clock.js';
import { isTopic, type LoggedEvent, type Topic } from '../events.js';
import type { BusBatch, BusConsumer, BusPosition } from '../event-bus/event-bus.js';
import type { Lake } from '../lake/lake.js';
import { eventFileKey, FILE_SPAN_MS } from '../lake/layout.js';
import type { PipelineLog } from '../pipeline-log.js';
import { inlineEncoder, type ParquetEncoder } from './encoder.js';

export interface SinkOptions {
  maxEvents: number;
  maxAgeMs: number;
  /** Backoff for lake retries. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How often buffers are checked for age. */
  ageCheckMs?: number;
  /** On stop, how long a failing lake is retried before the rest is left on the bus. */
  shutdownGraceMs?: number;
  /** A batch is cut before an event farther than this from its first event (default `FILE_SPAN_MS`, ADR 18). */
  spanMs?: number;
}

export interface SinkDeps {
  consumer: BusConsumer;
  lake: Lake;
  clock: Clock;
  log: PipelineLog;
  /** How files are encoded (default: on this thread). */
  encoder?: ParquetEncoder;
}

interface Pending {
  topic: Topic;
  partition: number;
  /** Offsets and events in arrival order; an event is undefined when its message was unreadable. */
  offsets: number[];
  events: (LoggedEvent | undefined)[];
  oldestAt: number;
  /** The file of the front events is in the lake but its commit failed: `key` and event count. */
  written?: string;
}

class Abandoned extends Error {}
class LostPartition extends Error {}
/** The file is written but its position is not stored: the consumer must read again from the last commit. */
export class CommitFailed extends Error {}

/** What files say in place of a log id when the bus names none: Kafka's offsets are unique in its cluster. */
export const CLUSTER_SOURCE = 'kafka';

/**
 * Consumes the bus, buffers per (topic, partition) and writes each full or old buffer as one
 * Parquet file, committing its position only once the file is in the lake. A file's name is
 * fixed by its log and first offset, so a redelivery after a crash rewrites the same object.
 */
export class EventSink {
  private readonly buffers = new Map<string, Pending>();
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private abandonAfter = Infinity;
  private commitFailures = 0;
  private lastCommitWarning = -Infinity;
  private readonly opts: Required<SinkOptions>;
  private state: 'new' | 'running' | 'stopped' = 'new';
  filesWritten = 0;
  eventsWritten = 0;
  /** Failed lake writes (each retry counts), since start. */
  lakeWriteErrors = 0;
  /** Per (topic, partition): messages the bus held past the last batch received (Kafka only). */
  private readonly lags = new Map<string, { topic: string; partition: number; messages: number }>();

  constructor(
    private readonly deps: SinkDeps,
    options: SinkOptions,
  ) {
    this.opts = {
      retryBaseMs: 200,
      retryMaxMs: 30_000,
      ageCheckMs: Math.min(1000, options.maxAgeMs),
      shutdownGraceMs: 10_000,
      spanMs: FILE_SPAN_MS,
      ...options,
    };
  }

  async start(): Promise<void> {
    await this.deps.consumer.start({
      onBatch: (batch, heartbeat) => this.serially(() => this.accept(batch, heartbeat)),
      onReset: () =>
        this.serially(async () => {
          this.buffers.clear();
          this.lags.clear(); // the partitions may be another consumer's now
        }),
    });
    this.state = 'running';
    this.timer = setInterval(() => {
      void this.flushOld().catch(() => {});
    }, this.opts.ageCheckMs);
    this.timer.unref();
  }

  /** Flushes every buffer (retrying a failing lake for a while), commits, and leaves the bus. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.state = 'stopped';
    // Set before pausing: a batch stuck retrying a dead lake must give up too.
    this.abandonAfter = performance.now() + this.opts.shutdownGraceMs;
    await this.deps.consumer.pause();
    try {
      await this.serially(() => this.flushAll());
    } catch (err) {
      this.deps.log.warn({ err }, 'sink stopped with events left on the bus; they are written on the next start');
    }
    await this.deps.consumer.stop();
  }

  /** Leaves the bus without writing the buffers, as a crash would: the bus delivers them again. */
  async abandon(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.state = 'stopped';
    this.abandonAfter = 0;
    this.buffers.clear();
    await this.deps.consumer.stop();
  }

  /** Writes every buffer whose oldest event has waited `maxAgeMs` (also run by a timer). */
  flushOld(): Promise<void> {
    return this.serially(async () => {
      const now = this.deps.clock.now().getTime();
      try {
        await this.flushWhere((p) => now - p.oldestAt >= this.opts.maxAgeMs);
      } catch (err) {
        // Logged where it failed; the buffers stay and the next flush commits them.
        if (!(err instanceof CommitFailed)) throw err;
      }
    });
  }

  /** Whether the sink reads the bus (started, not yet stopped or abandoned). */
  get running(): boolean {
    return this.state === 'running';
  }

  /** The flush rule: a buffer is written at `maxEvents` events, or once its oldest event has waited `maxAgeMs`. */
  get flushRule(): { maxEvents: number; maxAgeMs: number } {
    return { maxEvents: this.opts.maxEvents, maxAgeMs: this.opts.maxAgeMs };
  }

  /**
   * Each non-empty buffer: its events and since when its oldest one waits (ms since the epoch, by
   * the sink's clock); it is written at `waitingSince + maxAgeMs` unless it fills up first.
   */
  bufferStatus(): { topic: Topic; partition: number; events: number; waitingSince: number }[] {
    return [...this.buffers.values()]
      .filter((p) => p.offsets.length > 0)
      .map((p) => ({ topic: p.topic, partition: p.partition, events: p.offsets.length, waitingSince: p.oldestAt }));
  }

  /** Events received but not yet in the lake. */
  buffered(): number {
    let n = 0;
    for (const p of this.buffers.values()) n += p.offsets.length;
    return n;
  }

  /** Per partition this sink reads: how far behind the bus's end it is, by the last batch (Kafka only). */
  lag(): { topic: string; partition: number; messages: number }[] {
    return [...this.lags.values()];
  }

  /** Writes everything; a failing commit is retried like a failing lake, until the shutdown grace ends. */
  private async flushAll(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.flushWhere(() => true);
      } catch (err) {
        if (!(err instanceof CommitFailed) || performance.now() >= this.abandonAfter) throw err;
        await sleep(Math.min(this.opts.retryMaxMs, this.opts.retryBaseMs * 2 ** Math.min(attempt, 20)));
      }
    }
  }

  private async flushWhere(due: (p: Pending) => boolean, heartbeat?: () => Promise<void>): Promise<void> {
    for (const [id, pending] of [...this.buffers]) {
      while (this.buffers.get(id) === pending && pending.offsets.length > 0 && due(pending)) {
        await this.flushOne(pending, heartbeat);
      }
    }
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  private async accept(batch: BusBatch, heartbeat: () => Promise<void>): Promise<void> {
    if (!isTopic(batch.topic)) {
      this.deps.log.warn({ topic: batch.topic }, 'ignoring messages of an unknown topic');
      return;
    }
    const id = `${batch.topic}\u0000${batch.partition}`;
    if (batch.lag !== undefined) this.lags.set(id, { topic: batch.topic, partition: batch.partition, messages: batch.lag });
    let pending = this.buffers.get(id);
    const now = this.deps.clock.now().getTime();
    for (const message of batch.messages) {
      if (!pending) {
        pending = { topic: batch.topic, partition: batch.partition, offsets: [], events: [], oldestAt: now };
        this.buffers.set(id, pending);
      }
      const last = pending.offsets[pending.offsets.length - 1];
      if (last !== undefined && message.offset <= last) continue; // already buffered
      const event = this.parse(message.value, batch.topic, message.offset);
      // The span rule: a batch never holds events farther than `spanMs` from its first one, so
      // readers can pick a range's files by name (ADR 18); a sink catching up cuts here.
      while (event !== undefined && pending.offsets.length > 0 && !this.withinSpan(pending, event)) {
        await this.flushOne(pending, heartbeat);
        if (this.buffers.get(id) !== pending) return; // reset: the rest comes again
      }
      if (pending.offsets.length === 0) pending.oldestAt = now;
      pending.offsets.push(message.offset);
      pending.events.push(event);
      if (pending.offsets.length >= this.opts.maxEvents) {
        await this.flushOne(pending, heartbeat);
        if (this.buffers.get(id) !== pending) return; // reset: the rest comes again
      }
    }
  }

  private parse(value: string, topic: string, offset: number): LoggedEvent | undefined {
    try {
      const event = JSON.parse(value) as LoggedEvent;
      if (typeof event === 'object' && event !== null && typeof event.timestamp === 'string') return event;
    } catch {
      // fall through
    }
    this.deps.log.error({ topic, offset }, 'skipping an unreadable event');
    return undefined;
  }

  /** Whether `event` may join the batch: within `spanMs` of its first readable event (or the batch has none). */
  private withinSpan(pending: Pending, event: LoggedEvent): boolean {
    const first = pending.events.find((e) => e !== undefined);
    return first === undefined || this.near(Date.parse(first.timestamp), event);
  }

  private near(firstMs: number, event: LoggedEvent): boolean {
    const ms = Date.parse(event.timestamp);
    return Number.isNaN(firstMs) || Number.isNaN(ms) || Math.abs(ms - firstMs) <= this.opts.spanMs;
  }

  /** How many front events the next file takes: at most `maxEvents`, all within the span of the first. */
  private nextCount(pending: Pending): number {
    const max = Math.min(pending.offsets.length, this.opts.maxEvents);
    const firstAt = pending.events.findIndex((e) => e !== undefined);
    if (firstAt < 0) return max;
    const firstMs = Date.parse(pending.events[firstAt]!.timestamp);
    for (let i = firstAt + 1; i < max; i++) {
      const e = pending.events[i];
      if (e !== undefined && !this.near(firstMs, e)) return i;
    }
    return max;
  }

  private async flushOne(pending: Pending, heartbeat?: () => Promise<void>): Promise<void> {
    const count = this.nextCount(pending);
    const offsets = pending.offsets.slice(0, count);
    const events = pending.events.slice(0, count).filter((e): e is LoggedEvent => e !== undefined);
    const firstOffset = offsets[0]!;
    const next = { topic: pending.topic, partition: pending.partition, offset: offsets[count - 1]! + 1 };
    if (!this.deps.consumer.writable()) {
      this.buffers.clear(); // a rebalance is under way: the next owner writes these
      return;
    }
    if (events.length > 0) {
      const source = this.deps.consumer.source ?? CLUSTER_SOURCE;
      const key = eventFileKey({ topic: pending.topic, partition: pending.partition, firstOffset, firstTimestamp: events[0]!.timestamp, source });
      const file = `${key}\u0000${count}`;
      // After a failed commit the very same file is already in the lake: only the commit is retried.
      if (pending.written !== file) {
        try {
          const body = await (this.deps.encoder ?? inlineEncoder).encode(pending.topic, events);
          await this.putWithRetry(key, body, heartbeat);
        } catch (err) {
          if (!(err instanceof LostPartition)) throw err;
          this.buffers.clear();
          return;
        }
        pending.written = file;
      }
    }
    try {
      await this.deps.consumer.commit(next);
    } catch (err) {
      if (!this.deps.consumer.writable()) {
        // The partition moved to another consumer: it re-reads from the last commit and rewrites
        // the same object, so nothing buffered here may be written again by us.
        this.deps.log.warn({ err, ...next }, 'commit refused; the partition has a new owner; dropping uncommitted buffers');
        this.buffers.clear();
        return;
      }
      // Still ours (a full disk, a locked database): every buffer stays, the consumer reads again
      // from the last commit (the sink skips offsets it holds), and the next flush of this buffer
      // retries the commit; had the buffer been dropped, the next commit would have skipped it.
      this.noteCommitFailure(err, next);
      throw new CommitFailed(`could not commit ${next.topic}/${next.partition} at ${next.offset}`, { cause: err });
    }
    if (this.commitFailures > 0) {
      this.deps.log.info({ failures: this.commitFailures, ...next }, 'bus positions commit again');
      this.commitFailures = 0;
    }
    pending.offsets.splice(0, count);
    pending.events.splice(0, count);
    pending.written = undefined;
    // A long batch writes many files: keep the group membership alive between them.
    await heartbeat?.().catch(() => {});
    pending.oldestAt = this.deps.clock.now().getTime();
    this.filesWritten += events.length > 0 ? 1 : 0;
    this.eventsWritten += events.length;
  }

  private noteCommitFailure(err: unknown, position: BusPosition): void {
    this.commitFailures += 1;
    const now = performance.now();
    if (this.commitFailures > 1 && now - this.lastCommitWarning < 60_000) return;
    this.lastCommitWarning = now;
    this.deps.log.error({ err, failures: this.commitFailures, ...position }, 'could not commit the bus position; keeping the buffers and retrying');
  }

  private async putWithRetry(key: string, body: Uint8Array, heartbeat?: () => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.deps.lake.put(key, body);
        if (attempt > 0) this.deps.log.info({ key, attempts: attempt + 1 }, 'lake is writable again');
        return;
      } catch (err) {
        this.lakeWriteErrors += 1;
        if (!this.deps.consumer.writable()) throw new LostPartition(`lost the partition while retrying ${key}`);
        if (performance.now() >= this.abandonAfter) throw new Abandoned(`lake still failing for ${key}`);
        if (attempt === 0 || attempt % 10 === 0) this.deps.log.warn({ err, key, attempt }, 'lake write failed; retrying');
        const delay = Math.min(this.opts.retryMaxMs, this.opts.retryBaseMs * 2 ** Math.min(attempt, 20));
        await sleep(delay);
        await heartbeat?.().catch(() => {});
      }
    }
  }
}
