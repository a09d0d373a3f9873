import { parquetMetadata, parquetRead, parquetSchema } from 'hyparquet';

/** The prefix under which the sink writes detail-view events. */
export const VIEW_LOG_PREFIX = 'logs/View_detail_log/';

/** The views of one file, as parallel columns. */
export interface ViewBatch {
  /** 53-bit hash of each event_id (exact in a double and in an SQLite INTEGER). */
  eventHashes: number[];
  ticketIds: string[];
  /** KST day `YYYY.MM.DD` of the event, or '' when the event has no usable timestamp. */
  days: string[];
  /** Rows without an event_id or ticket_id. */
  skipped: number;
}

const KST_OFFSET_MS = 9 * 3_600_000;
const DAY_MS = 86_400_000;

/** cyrb53: a fast 53-bit string hash; two events collide with probability about n² / 2^54. */
export function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

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

/** Reads the columns popularity needs from one View_detail_log Parquet file (snappy or plain). */
export async function readViews(bytes: Uint8Array): Promise<ViewBatch> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(file);
  const present = new Set(parquetSchema(metadata).children.map((c) => c.element.name));
  for (const required of ['event_id', 'ticket_id']) {
    if (!present.has(required)) throw new Error(`view log file has no ${required} column`);
  }
  const columns = present.has('timestamp') ? ['event_id', 'ticket_id', 'timestamp'] : ['event_id', 'ticket_id'];
  let rows: unknown[][] = [];
  await parquetRead({
    file,
    metadata,
    columns,
    parsers: {
      timestampFromMilliseconds: (v: bigint) => Number(v),
      timestampFromMicroseconds: (v: bigint) => Number(v / 1000n),
      timestampFromNanoseconds: (v: bigint) => Number(v / 1_000_000n),
    },
    onComplete: (r: unknown[][]) => {
      rows = r;
    },
  });
  const batch: ViewBatch = { eventHashes: [], ticketIds: [], days: [], skipped: 0 };
  const dayNames = new Map<number, string>();
  for (const row of rows) {
    const [eventId, ticketId, timestamp] = row;
    if (typeof eventId !== 'string' || eventId === '' || typeof ticketId !== 'string' || ticketId === '') {
      batch.skipped += 1;
      continue;
    }
    const ms = epochMs(timestamp);
    let day = '';
    if (ms !== undefined) {
      const dayNumber = Math.floor((ms + KST_OFFSET_MS) / DAY_MS);
      day = dayNames.get(dayNumber) ?? '';
      if (day === '') {
        day = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '.');
        dayNames.set(dayNumber, day);
      }
    }
    batch.eventHashes.push(hash53(eventId));
    batch.ticketIds.push(ticketId);
    batch.days.push(day);
  }
  return batch;
}
