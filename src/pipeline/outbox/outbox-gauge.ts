import { performance } from 'node:perf_hooks';
import type { PipelineLog } from '../pipeline-log.js';
import type { Outbox } from './outbox.js';

/** How full the outbox is, cheaply enough to ask on every recorded event. */
export interface OutboxGauge {
  readonly maxRows: number;
  /** Whether the outbox holds `maxRows` once `extra` more rows are added. */
  full(extra: number): boolean;
  /** Counts rows just committed to the outbox. */
  appended(count: number): void;
  rows(): number;
}

/** Shares of `maxRows` that are announced, highest first, and how often while they last. */
const LEVELS = [
  { share: 1, repeatMs: 60_000 },
  { share: 0.8, repeatMs: 600_000 },
  { share: 0.5, repeatMs: 600_000 },
] as const;

/**
 * A running count of pending rows: the outbox's estimate at start, plus what was appended, read
 * again from the outbox at most every `refreshMs` (rows leave it only when a consumer commits).
 * Warns as it passes half and 80% of `maxRows` and errs when full, again only every so often.
 */
export function createOutboxGauge(outbox: Outbox, maxRows: number, log: PipelineLog, refreshMs = 1000): OutboxGauge {
  let rows = 0;
  let refreshedAt = -Infinity;
  const announcedAt = new Map<number, number>();

  const observe = (now: number) => {
    const level = LEVELS.find((l) => rows >= l.share * maxRows);
    if (!level || now - (announcedAt.get(level.share) ?? -Infinity) < level.repeatMs) return;
    const share = level.share;
    announcedAt.set(share, now);
    const state = { rows, maxRows, percent: Math.floor((rows / maxRows) * 100) };
    if (share === 1) log.error(state, 'the outbox is full: new events are refused and counted as lost until the sink or forwarder drains it');
    else log.warn(state, `the outbox passed ${share * 100}% of OUTBOX_MAX_ROWS: is the sink or forwarder keeping up?`);
  };

  const refreshIfDue = () => {
    const now = performance.now();
    if (now - refreshedAt >= refreshMs) {
      refreshedAt = now;
      try {
        rows = outbox.sizeEstimate();
      } catch {
        // An unreadable outbox also fails its appends, which count those losses: keep the count.
      }
    }
    observe(now);
  };
  refreshIfDue();

  return {
    maxRows,
    full(extra) {
      if (rows + extra < maxRows) return false;
      refreshIfDue(); // only here can a full outbox notice that it drained
      return rows + extra >= maxRows;
    },
    appended(count) {
      rows += count;
      refreshIfDue();
    },
    rows: () => rows,
  };
}
