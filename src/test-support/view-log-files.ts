import { topicPrefix, type LoggedEvent } from '../pipeline/index.js';
import { writeEventsParquet } from '../pipeline/sink/parquet.js';
import { kstTimestamp } from '../platform/kst.js';

export interface ViewEvent {
  event_id: string;
  ticket_id: string;
  /** Epoch ms. */
  timestamp: number;
  user_id?: string;
}

/** A View_detail_log Parquet file as the sink writes it (its writer: snappy, TIMESTAMP millis). */
export function viewLogFile(events: readonly ViewEvent[]): Uint8Array {
  return writeEventsParquet(
    'View_detail_log',
    events.map((e): LoggedEvent => ({
      event_id: e.event_id,
      timestamp: kstTimestamp(new Date(e.timestamp)),
      topic: 'View_detail_log',
      action: 'view_detail',
      user_id: e.user_id ?? 'anonymous',
      device: 'Mozilla/5.0',
      ticket_id: e.ticket_id,
      title: `공연 ${e.ticket_id.slice(-4)}`,
      category: '콘서트',
    })),
  );
}

/** The key of a View_detail_log file named `name` (without extension) in the lake's layout. */
export const viewLogKey = (name: string): string => `${topicPrefix('View_detail_log')}${name}.parquet`;
