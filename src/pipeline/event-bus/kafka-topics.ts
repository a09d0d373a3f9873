import type { Kafka } from 'kafkajs';
import { TOPICS } from '../events.js';
import type { PipelineLog } from '../pipeline-log.js';
import { isUnreachable } from './kafka-errors.js';

export interface TopicLayout {
  numPartitions: number;
  replicationFactor: number;
}

/** Replicas default to three where the cluster has them, so one broker can fail and acks=-1 still holds. */
export function topicLayout(partitions: number, replicationFactor: number | undefined, brokersInCluster: number): TopicLayout {
  return { numPartitions: partitions, replicationFactor: replicationFactor ?? Math.max(1, Math.min(3, brokersInCluster)) };
}

/**
 * Creates the event topics once per process, before the first send and before the sink subscribes:
 * a topic auto-created by a first produce or subscribe gets the broker's default partition count,
 * and nothing fixes it afterwards. Never throws: a cluster that will not create topics (no
 * permission, no CreateTopics support) gets a warning and the broker's auto-creation; a cluster
 * that does not answer is asked again on the next call.
 */
export function topicCreator(options: {
  partitions: number;
  replicationFactor: number | undefined;
  log: PipelineLog;
}): (kafka: Kafka) => Promise<void> {
  let settled = false;
  let attempt: Promise<void> | undefined;

  async function create(kafka: Kafka): Promise<void> {
    // One quick try: the forwarder's and the sink's own retry loops decide when to ask again.
    const admin = kafka.admin({ retry: { retries: 1 } });
    try {
      await admin.connect();
      const { brokers } = await admin.describeCluster();
      const layout = topicLayout(options.partitions, options.replicationFactor, brokers.length);
      // Only the missing ones: a cluster made by an earlier version lacks the topics added since
      // (Like_log), and a request naming existing topics fails as a whole in kafkajs (without
      // waiting for the new topic's leaders). Existing topics are left as they are.
      const existing = new Set(await admin.listTopics());
      const missing = TOPICS.filter((topic) => !existing.has(topic));
      if (missing.length > 0) {
        const created = await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, ...layout })) });
        // false: another process created them in the meantime
        if (created) options.log.info({ topics: missing, ...layout }, 'kafka: created the event topics');
      }
      settled = true;
    } catch (err) {
      if (isUnreachable(err)) return;
      settled = true;
      options.log.warn({ err }, 'kafka: could not create the event topics; the brokers auto-create them on first use');
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }

  // The caller's client: the forwarder's own, whose sockets it cuts at its drain deadline.
  return (kafka) => {
    if (settled) return Promise.resolve();
    attempt ??= create(kafka).finally(() => (attempt = undefined));
    return attempt;
  };
}
