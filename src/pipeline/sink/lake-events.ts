import type { LoggedEvent, Topic } from '../events.js';
import type { Lake } from '../lake/lake.js';
import { readEventsParquet } from './parquet.js';

/**
 * Every event of one topic in the lake, each once: a redelivery normally rewrites the same
 * object, and de-duplicating by `event_id` covers what it cannot (a Kafka resend after a crash).
 */
export async function readLakeEvents(lake: Lake, topic: Topic): Promise<LoggedEvent[]> {
  const seen = new Set<string>();
  const out: LoggedEvent[] = [];
  for (const object of await lake.list(`logs/${topic}/`)) {
    if (!object.key.endsWith('.parquet')) continue;
    const bytes = await lake.get(object.key);
    if (!bytes) continue; // removed since the listing
    for (const event of await readEventsParquet(bytes)) {
      if (seen.has(event.event_id)) continue;
      seen.add(event.event_id);
      out.push(event);
    }
  }
  return out;
}
