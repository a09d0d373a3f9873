import type { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { TOPICS } from '../events.js';
import type { PipelineLog } from '../pipeline-log.js';
import { topicCreator } from './kafka-topics.js';

/** A cluster that already holds `existing` topics and records what it is asked to create. */
function fakeCluster(existing: string[]) {
  const requests: { topic: string; numPartitions?: number; replicationFactor?: number }[][] = [];
  const kafka = {
    admin: () => ({
      connect: async () => {},
      disconnect: async () => {},
      describeCluster: async () => ({ brokers: [{ nodeId: 1 }, { nodeId: 2 }, { nodeId: 3 }] }),
      listTopics: async () => [...existing, '__consumer_offsets'],
      createTopics: async ({ topics }: { topics: { topic: string; numPartitions?: number; replicationFactor?: number }[] }) => {
        requests.push(topics);
        existing.push(...topics.map((t) => t.topic));
        return true;
      },
    }),
  } as unknown as Kafka;
  return { kafka, requests };
}

function capturingLog() {
  const infos: { obj: object; msg: string }[] = [];
  const log: PipelineLog = { info: (obj, msg) => infos.push({ obj, msg }), warn: () => {}, error: () => {} };
  return { log, infos };
}

describe('creating the event topics', () => {
  it('when the cluster was made before Like_log existed, then only Like_log is created, with the configured layout, and logged by name', async () => {
    const eight = TOPICS.filter((t) => t !== 'Like_log');
    expect(eight).toHaveLength(8);
    const { kafka, requests } = fakeCluster([...eight]);
    const { log, infos } = capturingLog();
    await topicCreator({ partitions: 6, replicationFactor: undefined, log })(kafka);
    expect(requests).toEqual([[{ topic: 'Like_log', numPartitions: 6, replicationFactor: 3 }]]);
    expect(infos).toEqual([{ obj: { topics: ['Like_log'], numPartitions: 6, replicationFactor: 3 }, msg: 'kafka: created the event topics' }]);
  });

  it('when the cluster is empty, then every topic is created; when it has them all, then nothing is asked', async () => {
    const empty = fakeCluster([]);
    await topicCreator({ partitions: 3, replicationFactor: 1, log: capturingLog().log })(empty.kafka);
    expect(empty.requests.map((r) => r.map((t) => t.topic))).toEqual([[...TOPICS]]);
    const full = fakeCluster([...TOPICS]);
    await topicCreator({ partitions: 3, replicationFactor: 1, log: capturingLog().log })(full.kafka);
    expect(full.requests).toEqual([]);
  });
});
