import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Consumer, type ISocketFactory } from 'kafkajs';
import { TOPICS } from '../events.js';
import type { Outbox } from '../outbox/outbox.js';
import type { PipelineLog } from '../pipeline-log.js';
import type { BusConsumer, BusSubscriber, EventBus } from './event-bus.js';
import { createKafkaForwarder } from './kafka-forwarder.js';
import { topicCreator } from './kafka-topics.js';

export interface KafkaBusConfig {
  brokers: readonly string[];
  clientId: string;
  /** Most bytes in one produce request, Kafka framing included (KAFKA_MAX_BATCH_BYTES); default 512 KiB. */
  maxBatchBytes?: number;
  /** Partitions of each event topic the service creates (KAFKA_TOPIC_PARTITIONS); default 3. */
  topicPartitions?: number;
  /** Replicas of each event topic (KAFKA_REPLICATION_FACTOR); default min(3, brokers in the cluster). */
  replicationFactor?: number;
}

export interface KafkaBusDeps {
  outbox: Outbox;
  log: PipelineLog;
  /** Idle wait of the forwarder and its first retry delay. */
  pollMs?: number;
  retryMaxMs?: number;
  /** Most outbox rows per produce request. */
  batchSize?: number;
  /** Tests cut the network through this; production uses kafkajs's own sockets. */
  socketFactory?: ISocketFactory;
  /** Consumer-group timings (ms); tests shorten them so rebalances settle quickly. */
  groupTimings?: { sessionTimeout: number; rebalanceTimeout: number; heartbeatInterval: number };
}

export const KAFKA_DEFAULTS = { maxBatchBytes: 512 * 1024, topicPartitions: 3, batchSize: 1000 } as const;

function kafkaLogCreator(log: PipelineLog) {
  return () =>
    ({ level, log: entry }: { level: number; log: { message: string } & Record<string, unknown> }) => {
      const { message, ...rest } = entry;
      if (level <= logLevel.ERROR) log.error(rest, `kafka: ${message}`);
      else if (level <= logLevel.WARN) log.warn(rest, `kafka: ${message}`);
    };
}

/**
 * Kafka as the bus: a forwarder ships outbox rows (key = user_id, one Kafka topic per topic name,
 * acks from all in-sync replicas) and deletes them only once acknowledged; the sink reads
 * through a consumer group and commits by hand. Both create the event topics first (see
 * topicCreator).
 */
export function createKafkaBus(config: KafkaBusConfig, deps: KafkaBusDeps): EventBus {
  const kafkaConfig = {
    clientId: config.clientId,
    brokers: [...config.brokers],
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(deps.log),
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5000 },
    connectionTimeout: 3000,
    ...(deps.socketFactory ? { socketFactory: deps.socketFactory } : {}),
  };
  const kafka = new Kafka(kafkaConfig);
  const pollMs = deps.pollMs ?? 100;
  const retryMaxMs = deps.retryMaxMs ?? 10_000;
  const topicPartitions = config.topicPartitions ?? KAFKA_DEFAULTS.topicPartitions;
  const ensureTopics = topicCreator({ partitions: topicPartitions, replicationFactor: config.replicationFactor, log: deps.log });

  return {
    kind: 'kafka',
    forwarder: () =>
      createKafkaForwarder({
        kafka: kafkaConfig,
        outbox: deps.outbox,
        log: deps.log,
        pollMs,
        retryMaxMs,
        batchSize: deps.batchSize ?? KAFKA_DEFAULTS.batchSize,
        maxBatchBytes: config.maxBatchBytes ?? KAFKA_DEFAULTS.maxBatchBytes,
        topicPartitions,
        ensureTopics,
      }),

    consumer(group): BusConsumer {
      const consumer: Consumer = kafka.consumer({
        groupId: group,
        ...(deps.groupTimings ?? { sessionTimeout: 30_000, rebalanceTimeout: 60_000, heartbeatInterval: 3000 }),
        allowAutoTopicCreation: true,
      });
      let inFlight: Promise<void> = Promise.resolve();
      let paused = false;
      let stopped = false;
      let fenced = true;
      let joining: Promise<void> = Promise.resolve();
      const wake = new AbortController();

      async function join(subscriber: BusSubscriber): Promise<void> {
        await ensureTopics(kafka);
        await consumer.connect();
        await consumer.subscribe({ topics: [...TOPICS], fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: true,
          eachBatch: async ({ batch, heartbeat, isRunning, isStale }) => {
            if (paused || !isRunning() || isStale()) return;
            const messages = batch.messages.map((m) => ({ offset: Number(m.offset), value: m.value?.toString('utf8') ?? '' }));
            // offsetLag: what the broker holds past this batch (high watermark), read with the fetch itself.
            const lag = Number(batch.offsetLag());
            const work = subscriber.onBatch({ topic: batch.topic, partition: batch.partition, messages, lag }, heartbeat);
            inFlight = work.catch(() => {});
            await work;
          },
        });
      }

      /** Kafka may be down when a process starts: keep trying in the background, never fail the caller. */
      async function joinUntilUp(subscriber: BusSubscriber): Promise<void> {
        for (let failures = 0; !stopped; failures++) {
          try {
            await join(subscriber);
            return;
          } catch (err) {
            if (failures === 0 || failures % 20 === 0) deps.log.warn({ err }, 'kafka is unreachable; the sink keeps trying');
            await consumer.disconnect().catch(() => {});
            await sleep(Math.min(retryMaxMs, pollMs * 2 ** Math.min(failures, 10)), undefined, { signal: wake.signal }).catch(() => {});
          }
        }
      }

      return {
        async start(subscriber) {
          consumer.on(consumer.events.REBALANCING, () => {
            fenced = true;
            void subscriber.onReset();
          });
          consumer.on(consumer.events.GROUP_JOIN, () => {
            fenced = false;
            void subscriber.onReset();
          });
          joining = joinUntilUp(subscriber);
        },
        writable: () => !fenced && !stopped,
        async commit({ topic, partition, offset }) {
          await consumer.commitOffsets([{ topic, partition, offset: String(offset) }]);
        },
        async pause() {
          paused = true;
          try {
            consumer.pause(TOPICS.map((topic) => ({ topic })));
          } catch {
            // Not in the group yet (Kafka unreachable so far): nothing is in flight.
          }
          await inFlight;
        },
        async stop() {
          stopped = true;
          fenced = true;
          wake.abort();
          await joining;
          await consumer.disconnect();
        },
      };
    },
  };
}
