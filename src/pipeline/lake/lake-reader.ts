import { parquetMetadata, parquetRead, parquetReadObjects, parquetSchema } from 'hyparquet';
import { kstDate, kstTimestamp } from '../../platform/kst.js';
import type { LoggedEvent, Topic } from '../events.js';
import type { Lake, LakeObject } from './lake.js';
import { LAKE_ROOT, parseLakeKey, topicPrefix } from './layout.js';

/**
 * The one way to read the event lake: which files a topic has, and the events in them. The
 * tests, repair and the analytics jobs all read through here; only the sink writes.
 */

/** An event file in the lake. */
export interface EventFile extends LakeObject {
  topic: Topic;
}

/**
 * The event files of one topic, or of every topic when none is named, ordered by key. Keys
 * outside the layout (another extension, an unknown topic) are left out.
 */
export async function listEventFiles(lake: Lake, topic?: Topic): Promise<EventFile[]> {
  const out: EventFile[] = [];
  for (const object of await lake.list(topic === undefined ? LAKE_ROOT : topicPrefix(topic))) {
    const parsed = parseLakeKey(object.key);
    if (parsed !== undefined && (topic === undefined || parsed.topic === topic)) out.push({ ...object, topic: parsed.topic });
  }
  return out;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** The events of one file's bytes: timestamps as KST ISO strings, nulls left out. */
export async function decodeEventFile(bytes: Uint8Array): Promise<LoggedEvent[]> {
  const file = toArrayBuffer(bytes);
  const rows = (await parquetReadObjects({ file, metadata: parquetMetadata(file) })) as Record<string, unknown>[];
  return rows.map((row) => {
    const event: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(row)) {
      if (value === null || value === undefined) continue;
      if (value instanceof Date) event[name] = kstTimestamp(value);
      else if (typeof value === 'bigint') event[name] = Number(value);
      else event[name] = value;
    }
    return event as LoggedEvent;
  });
}

/** The events of the file under `key`, or undefined when it is gone (removed since a listing). */
export async function readEventFile(lake: Lake, key: string): Promise<LoggedEvent[] | undefined> {
  const bytes = await lake.get(key);
  return bytes === undefined ? undefined : decodeEventFile(bytes);
}

export interface ReadEventsOptions {
  /**
   * Keep every copy of an event that sits in several files (to check that nothing is written
   * twice). By default each `event_id` is read once: a redelivery normally rewrites the same
   * object, and de-duplicating covers what it cannot (a Kafka resend after a crash).
   */
  keepDuplicates?: boolean;
}

async function readFiles(lake: Lake, files: readonly EventFile[], options: ReadEventsOptions): Promise<LoggedEvent[]> {
  const seen = new Set<string>();
  const out: LoggedEvent[] = [];
  for (const file of files) {
    for (const event of (await readEventFile(lake, file.key)) ?? []) {
      if (!options.keepDuplicates) {
        if (seen.has(event.event_id)) continue;
        seen.add(event.event_id);
      }
      out.push(event);
    }
  }
  return out;
}

/** Every event of one topic, in file order; each `event_id` once unless `keepDuplicates`. */
export async function readTopicEvents(lake: Lake, topic: Topic, options: ReadEventsOptions = {}): Promise<LoggedEvent[]> {
  return readFiles(lake, await listEventFiles(lake, topic), options);
}

/** Every event of every topic, in key order; each `event_id` once unless `keepDuplicates`. */
export async function readAllEvents(lake: Lake, options: ReadEventsOptions = {}): Promise<LoggedEvent[]> {
  return readFiles(lake, await listEventFiles(lake), options);
}

/** How the `timestamp` column reads in `decodeEventColumns`; a value that is no instant reads as undefined. */
export type TimestampForm = 'epoch-ms' | 'kst-day';

export interface DecodedColumns {
  /** One array per row, values in the order the columns were asked for. */
  rows: unknown[][];
  /** Asked-for columns the file does not have: they read as undefined in every row. */
  missing: string[];
}

const HOUR_MS = 3_600_000;

function epochMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/** KST days of epoch ms. KST is a whole number of hours from UTC, so each UTC hour has one KST day. */
function kstDays(): (ms: number) => string {
  const byHour = new Map<number, string>();
  return (ms) => {
    const hour = Math.floor(ms / HOUR_MS);
    let day = byHour.get(hour);
    if (day === undefined) {
      const start = new Date(hour * HOUR_MS);
      if (Number.isNaN(start.getTime())) throw new RangeError('Invalid time value');
      day = kstDate(start);
      byHour.set(hour, day);
    }
    return day;
  };
}

/**
 * Only the named columns of one file's bytes, row by row: the fast path for jobs over millions
 * of events. The `timestamp` column reads as epoch milliseconds or as the KST day `YYYY.MM.DD`
 * (`timestamp` option); TIMESTAMP columns of any unit and ISO 8601 strings are both understood.
 */
export async function decodeEventColumns(
  bytes: Uint8Array,
  columns: readonly string[],
  options: { timestamp?: TimestampForm } = {},
): Promise<DecodedColumns> {
  const file = toArrayBuffer(bytes);
  const metadata = parquetMetadata(file);
  const inFile = new Set(parquetSchema(metadata).children.map((c) => c.element.name));
  const present = columns.filter((c) => inFile.has(c));
  const missing = columns.filter((c) => !inFile.has(c));
  let rows: unknown[][] = [];
  if (present.length > 0) {
    await parquetRead({
      file,
      metadata,
      columns: present,
      parsers: {
        timestampFromMilliseconds: (v: bigint) => Number(v),
        timestampFromMicroseconds: (v: bigint) => Number(v / 1000n),
        timestampFromNanoseconds: (v: bigint) => Number(v / 1_000_000n),
      },
      onComplete: (r: unknown[][]) => {
        rows = r;
      },
    });
  } else {
    rows = Array.from({ length: Number(metadata.num_rows) }, () => []);
  }
  // Rows come in the order of `present`; a missing column in the middle needs its gap.
  if (missing.length > 0 && present.some((c, i) => columns[i] !== c)) {
    const from = columns.map((c) => present.indexOf(c));
    rows = rows.map((row) => from.map((i) => (i < 0 ? undefined : row[i])));
  }
  const at = columns.indexOf('timestamp');
  if (at >= 0 && inFile.has('timestamp')) {
    const dayOf = options.timestamp === 'kst-day' ? kstDays() : undefined;
    for (const row of rows) {
      const ms = epochMs(row[at]);
      row[at] = ms === undefined || dayOf === undefined ? ms : dayOf(ms);
    }
  }
  return { rows, missing };
}
