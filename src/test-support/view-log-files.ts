import { parquetWriteBuffer } from 'hyparquet-writer';

export interface ViewEvent {
  event_id: string;
  ticket_id: string;
  /** Epoch ms. */
  timestamp: number;
  user_id?: string;
}

/** A View_detail_log Parquet file as the sink writes it (snappy, TIMESTAMP millis). */
export function viewLogFile(events: readonly ViewEvent[]): Uint8Array {
  const col = (name: string, data: unknown[], type: 'STRING' | 'TIMESTAMP') => ({ name, data, type, nullable: true });
  const buffer = parquetWriteBuffer({
    codec: 'SNAPPY',
    columnData: [
      col('event_id', events.map((e) => e.event_id), 'STRING'),
      col('timestamp', events.map((e) => new Date(e.timestamp)), 'TIMESTAMP'),
      col('topic', events.map(() => 'View_detail_log'), 'STRING'),
      col('action', events.map(() => 'view_detail'), 'STRING'),
      col('user_id', events.map((e) => e.user_id ?? 'anonymous'), 'STRING'),
      col('device', events.map(() => 'Mozilla/5.0'), 'STRING'),
      col('ticket_id', events.map((e) => e.ticket_id), 'STRING'),
      col('title', events.map((e) => `공연 ${e.ticket_id.slice(-4)}`), 'STRING'),
      col('category', events.map(() => '콘서트'), 'STRING'),
    ],
  });
  return new Uint8Array(buffer);
}
