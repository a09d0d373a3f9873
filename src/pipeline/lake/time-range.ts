import { FILE_SPAN_MS, parseLakeKey, SPAN_FREE_SOURCES, stampMs } from './layout.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Event times a file may hold, from its name alone (epoch ms, both ends included). */
export interface TimeBounds {
  minMs: number;
  maxMs: number;
}

/** A time range `[start, end)`, as the dashboard's figures ask for. */
export interface TimeRange {
  start: Date;
  end: Date;
}

/**
 * The event times the file under `key` may hold, or undefined when its name cannot bound them
 * (a file copied in by hand, the demo's week of synthetic views): such a file is always read.
 * - a sink file named at `t`: `[t − FILE_SPAN_MS, t + FILE_SPAN_MS]`, the span rule the sink
 *   keeps (ADR 18);
 * - a compacted day file of day D: it holds the sink files named on D, so
 *   `[start of D − FILE_SPAN_MS, end of D + FILE_SPAN_MS]`.
 */
export function eventTimeBounds(key: string, spanMs = FILE_SPAN_MS): TimeBounds | undefined {
  const parsed = parseLakeKey(key);
  if (parsed === undefined) return undefined;
  if (parsed.day !== undefined) {
    const start = Date.parse(`${parsed.day}T00:00:00+09:00`);
    return { minMs: start - spanMs, maxMs: start + DAY_MS + spanMs };
  }
  if (parsed.batch === undefined || SPAN_FREE_SOURCES.has(parsed.batch.source)) return undefined;
  const t = stampMs(parsed.batch.stamp);
  if (Number.isNaN(t)) return undefined;
  return { minMs: t - spanMs, maxMs: t + spanMs };
}

/**
 * The files (in their order) that can hold events of `[range.start, range.end)`, chosen by their
 * names alone: the pure rule every range read of the lake goes through. A file whose name says
 * nothing of its times is kept.
 */
export function filesForRange<T extends { key: string }>(files: readonly T[], range: TimeRange, spanMs = FILE_SPAN_MS): T[] {
  const start = range.start.getTime();
  const end = range.end.getTime();
  return files.filter((f) => {
    const bounds = eventTimeBounds(f.key, spanMs);
    return bounds === undefined || (bounds.minMs < end && bounds.maxMs >= start);
  });
}
