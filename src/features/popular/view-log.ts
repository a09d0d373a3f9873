import { decodeEventColumns } from '../../pipeline/index.js';

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

const COLUMNS = ['event_id', 'ticket_id', 'timestamp'] as const;

/** Reads the columns popularity needs from one View_detail_log Parquet file (snappy or plain). */
export async function readViews(bytes: Uint8Array): Promise<ViewBatch> {
  const { rows, missing } = await decodeEventColumns(bytes, COLUMNS, { timestamp: 'kst-day' });
  for (const required of ['event_id', 'ticket_id']) {
    if (missing.includes(required)) throw new Error(`view log file has no ${required} column`);
  }
  const batch: ViewBatch = { eventHashes: [], ticketIds: [], days: [], skipped: 0 };
  for (const [eventId, ticketId, day] of rows) {
    if (typeof eventId !== 'string' || eventId === '' || typeof ticketId !== 'string' || ticketId === '') {
      batch.skipped += 1;
      continue;
    }
    batch.eventHashes.push(hash53(eventId));
    batch.ticketIds.push(ticketId);
    batch.days.push(typeof day === 'string' ? day : '');
  }
  return batch;
}
