import type { OutboxRow } from '../outbox/outbox.js';

/**
 * Worst-case framing of one v2 record around its key and value: length, timestamp delta,
 * offset delta, key and value lengths as varints, attributes and the (empty) header count.
 */
const RECORD_FRAMING = 32;
/** A record batch header (61 bytes) plus its partition number and size in the request. */
const PARTITION_FRAMING = 69;
/** Topic name length and partition count around each topic's partitions. */
const TOPIC_FRAMING = 6;
/** Request size, header, client id length, transactional id, acks, timeout, topic count. */
const REQUEST_FRAMING = 28;

export interface BatchPlan {
  /** Groups of rows that each fit one produce request, in outbox order. */
  batches: OutboxRow[][];
  /** Rows that alone make a request over the limit, with that request's size. */
  tooLarge: { row: OutboxRow; bytes: number }[];
}

/**
 * Splits rows into produce requests of at most `maxBytes` each, counting the Kafka framing as
 * well as keys and payloads, so the limit holds for the request on the wire (kafkajs sends one
 * uncompressed record batch per partition). Partitions per topic are counted up to
 * `partitionsPerTopic`; a topic with more partitions than that can exceed the estimate by
 * 69 bytes for each extra partition a request touches.
 */
export function planBatches(rows: readonly OutboxRow[], maxBytes: number, partitionsPerTopic: number, clientId: string): BatchPlan {
  const base = REQUEST_FRAMING + Buffer.byteLength(clientId);
  const rowBytes = (row: OutboxRow) => Buffer.byteLength(row.key) + Buffer.byteLength(row.payload) + RECORD_FRAMING;
  const topicBytes = (row: OutboxRow) => TOPIC_FRAMING + Buffer.byteLength(row.topic);

  const plan: BatchPlan = { batches: [], tooLarge: [] };
  let batch: OutboxRow[] = [];
  let bytes = base;
  let rowsPerTopic = new Map<string, number>();
  const growthOf = (row: OutboxRow) => {
    const seen = rowsPerTopic.get(row.topic) ?? 0;
    return rowBytes(row) + (seen === 0 ? topicBytes(row) : 0) + (seen < partitionsPerTopic ? PARTITION_FRAMING : 0);
  };

  for (const row of rows) {
    const alone = base + topicBytes(row) + PARTITION_FRAMING + rowBytes(row);
    if (alone > maxBytes) {
      plan.tooLarge.push({ row, bytes: alone });
      continue;
    }
    let growth = growthOf(row);
    if (batch.length > 0 && bytes + growth > maxBytes) {
      plan.batches.push(batch);
      batch = [];
      bytes = base;
      rowsPerTopic = new Map();
      growth = growthOf(row);
    }
    batch.push(row);
    bytes += growth;
    rowsPerTopic.set(row.topic, (rowsPerTopic.get(row.topic) ?? 0) + 1);
  }
  if (batch.length > 0) plan.batches.push(batch);
  return plan;
}
