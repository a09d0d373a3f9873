import type { LoggedEvent } from '../events.js';
import { writeEventsParquet } from '../sink/parquet.js';
import type { Lake } from './lake.js';
import { eventFileKey, type EventFileName } from './layout.js';

/**
 * Writes one batch of a topic's events as a lake file, in the sink's format and under the lake's
 * layout, so every reader (the popular job, DuckDB, …) reads it as any other; returns its key.
 * For events that never went through the bus (the demo's synthetic views).
 */
export async function putEventFile(lake: Lake, name: EventFileName, events: readonly LoggedEvent[]): Promise<string> {
  const key = eventFileKey(name);
  await lake.put(key, writeEventsParquet(name.topic, events));
  return key;
}
