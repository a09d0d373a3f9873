/**
 * What the rest of the code may use of the event pipeline: the event types, the lake and its
 * layout, and the one lake reader. Features import from here, never from pipeline internals;
 * the composition root (`src/composition/`) is the one place that builds the pipeline's parts.
 */
export { TOPICS, isTopic, noEvents, type Actor, type EventFields, type EventRecorder, type LoggedEvent, type Topic } from './events.js';
export type { Lake, LakeObject } from './lake/lake.js';
export type { PendingEvents } from './pipeline.js';
export { createMemoryLake } from './lake/memory-lake.js';
export { putEventFile } from './lake/put-event-file.js';
export { lakeKeyPath, requireLakeKeyPath, unsafeLakeKeyReason } from './lake/key-path.js';
export {
  FILE_SPAN_MS,
  LAKE_ROOT,
  SPAN_FREE_SOURCES,
  dayFileKey,
  eventFileKey,
  parseLakeKey,
  topicPrefix,
  type EventFileName,
  type LakeKey,
} from './lake/layout.js';
export { eventTimeBounds, filesForRange, type TimeBounds, type TimeRange } from './lake/time-range.js';
export { compactLake, type CompactOptions, type CompactSummary } from './lake/compact.js';
export {
  decodeEventColumns,
  decodeEventFile,
  listEventFiles,
  readAllEvents,
  readEventFile,
  readTopicEvents,
  type DecodedColumns,
  type EventFile,
  type ReadEventsOptions,
  type TimestampForm,
} from './lake/lake-reader.js';
