import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { Topic } from '../events.js';
import type { OutboxRow } from '../outbox/outbox.js';
import { planBatches } from './kafka-batches.js';
import { isUnreachable, recordRefusal } from './kafka-errors.js';
import { topicLayout } from './kafka-topics.js';

const row = (id: number, payloadBytes: number, topic: Topic = 'Search_log'): OutboxRow => ({
  topic,
  id,
  key: `user-${id % 7}`,
  payload: 'x'.repeat(payloadBytes),
});

const protocolError = (type: string, code: number, retriable: boolean) =>
  new KafkaJSProtocolError({ message: type, type, code, retriable } as unknown as Error);

describe('produce requests bounded by bytes', () => {
  it('when rows are many, then each request stays within the limit, keeps outbox order, and loses no row', () => {
    const topics: Topic[] = ['Search_log', 'View_detail_log', 'Login_log'];
    const rows = Array.from({ length: 500 }, (_, i) => row(i, 200 + ((i * 37) % 900), topics[i % 3]));
    const plan = planBatches(rows, 16 * 1024, 3, 'ticketmoa');
    expect(plan.tooLarge).toEqual([]);
    expect(plan.batches.flat()).toEqual(rows);
    expect(plan.batches.length).toBeGreaterThan(10);
    for (const batch of plan.batches) {
      const payload = batch.reduce((n, r) => n + r.key.length + r.payload.length, 0);
      expect(batch.length).toBeGreaterThan(0);
      // Framing is counted too: the payloads alone stay clearly under the limit.
      expect(payload).toBeLessThan(16 * 1024 - 32 * batch.length);
    }
  });

  it('when one row alone is over the limit, then it is reported with its size and the rows around it still go', () => {
    const rows = [row(1, 100), row(2, 5000), row(3, 100)];
    const plan = planBatches(rows, 2048, 3, 'ticketmoa');
    expect(plan.batches).toEqual([[rows[0], rows[2]]]);
    expect(plan.tooLarge).toHaveLength(1);
    expect(plan.tooLarge[0]!.row).toBe(rows[1]);
    expect(plan.tooLarge[0]!.bytes).toBeGreaterThan(5000);
  });

  it('when a row just fits alone, then it gets a request of its own', () => {
    const big = row(2, 1500);
    const plan = planBatches([row(1, 400), big, row(3, 400)], 1800, 3, 'ticketmoa');
    expect(plan.tooLarge).toEqual([]);
    expect(plan.batches).toEqual([[expect.objectContaining({ id: 1 })], [big], [expect.objectContaining({ id: 3 })]]);
  });
});

describe("reading kafkajs's errors", () => {
  it('when the broker refuses the records, then the refusal is found however kafkajs wrapped it', () => {
    const tooLarge = protocolError('MESSAGE_TOO_LARGE', 10, false);
    expect(recordRefusal(tooLarge)).toBe('MESSAGE_TOO_LARGE');
    expect(recordRefusal(Object.assign(new KafkaJSNonRetriableError(tooLarge), { cause: tooLarge }))).toBe('MESSAGE_TOO_LARGE');
    // CORRUPT_MESSAGE is retried by kafkajs first and only then reaches the forwarder.
    const corrupt = protocolError('CORRUPT_MESSAGE', 2, true);
    expect(recordRefusal(new KafkaJSNumberOfRetriesExceeded(corrupt, { retryCount: 5, retryTime: 100 }))).toBe('CORRUPT_MESSAGE');
  });

  it('when the cluster is down or refuses everyone, then nothing is read as a refused record', () => {
    const down = new KafkaJSConnectionError('Connection error: ECONNREFUSED');
    expect(recordRefusal(new KafkaJSNumberOfRetriesExceeded(down, { retryCount: 5, retryTime: 100 }))).toBeUndefined();
    expect(isUnreachable(new KafkaJSNumberOfRetriesExceeded(down, { retryCount: 5, retryTime: 100 }))).toBe(true);
    expect(recordRefusal(protocolError('TOPIC_AUTHORIZATION_FAILED', 29, false))).toBeUndefined();
    expect(recordRefusal(protocolError('NOT_ENOUGH_REPLICAS', 19, true))).toBeUndefined();
    expect(isUnreachable(protocolError('NOT_ENOUGH_REPLICAS', 19, true))).toBe(false);
  });
});

describe('the layout of the event topics', () => {
  it('when no replication factor is set, then it is three where the cluster has three brokers, else all of them', () => {
    expect(topicLayout(3, undefined, 1)).toEqual({ numPartitions: 3, replicationFactor: 1 });
    expect(topicLayout(3, undefined, 2)).toEqual({ numPartitions: 3, replicationFactor: 2 });
    expect(topicLayout(6, undefined, 5)).toEqual({ numPartitions: 6, replicationFactor: 3 });
    expect(topicLayout(6, 2, 5)).toEqual({ numPartitions: 6, replicationFactor: 2 });
  });
});
