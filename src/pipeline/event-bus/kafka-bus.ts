import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, Partitioners, type Consumer, type ISocketFactory, type Producer } from 'kafkajs';
import { TOPICS } from '../events.js';
import type { Outbox, OutboxRow } from '../outbox/outbox.js';
import type { PipelineLog } from '../pipeline-log.js';
import type { BusConsumer, BusForwarder, BusSubscriber, EventBus } from './event-bus.js';

export interface KafkaBusConfig {
  brokers: readonly string[];
  clientId: string;
}

export interface KafkaBusDeps {
  outbox: Outbox;
  log: PipelineLog;
  /** Idle wait of the forwarder and its first retry delay. */
  pollMs?: number;
  retryMaxMs?: number;
  /** Outbox rows per produce request. */
  batchSize?: number;
  /** Tests cut the network through this; production uses kafkajs's own sockets. */
  socketFactory?: ISocketFactory;
  /** Consumer-group timings (ms); tests shorten them so rebalances settle quickly. */
  groupTimings?: { sessionTimeout: number; rebalanceTimeout: number; heartbeatInterval: number };
}

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
 * through a consumer group and commits by hand.
 */
export function createKafkaBus(config: KafkaBusConfig, deps: KafkaBusDeps): EventBus {
  const kafka = new Kafka({
    clientId: config.clientId,
    brokers: [...config.brokers],
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(deps.log),
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5000 },
    connectionTimeout: 3000,
    ...(deps.socketFactory ? { socketFactory: deps.socketFactory } : {}),
  });
  const pollMs = deps.pollMs ?? 100;
  const retryMaxMs = deps.retryMaxMs ?? 10_000;
  const batchSize = deps.batchSize ?? 1000;

  return {
    kind: 'kafka',
    forwarder(): BusForwarder {
      let producer: Producer | undefined;
      let running = false;
      let loop: Promise<void> | undefined;
      const wake = new AbortController();

      async function ship(rows: OutboxRow[]): Promise<void> {
        if (!producer) {
          producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: true });
          await producer.connect();
        }
        const byTopic = new Map<string, { key: string; value: string }[]>();
        for (const row of rows) {
          const list = byTopic.get(row.topic) ?? [];
          list.push({ key: row.key, value: row.payload });
          byTopic.set(row.topic, list);
        }
        await producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        });
      }

      async function forward(): Promise<void> {
        let failures = 0;
        while (running) {
          const rows = deps.outbox.readAny(batchSize);
          if (rows.length === 0) {
            await sleep(pollMs, undefined, { signal: wake.signal }).catch(() => {});
            continue;
          }
          try {
            await ship(rows);
            deps.outbox.remove(rows);
            if (failures > 0) deps.log.info({ backlog: deps.outbox.size() }, 'kafka is reachable again; draining the outbox');
            failures = 0;
          } catch (err) {
            failures++;
            if (failures === 1 || failures % 20 === 0) {
              const backlog = deps.outbox.size();
              deps.log.warn({ err, backlog }, 'kafka is unreachable; events wait in the outbox');
            }
            const stale = producer;
            producer = undefined;
            await stale?.disconnect().catch(() => {});
            await sleep(Math.min(retryMaxMs, pollMs * 2 ** Math.min(failures, 10)), undefined, { signal: wake.signal }).catch(() => {});
          }
        }
      }

      return {
        start() {
          if (running) return;
          running = true;
          loop = forward();
        },
        async stop() {
          running = false;
          wake.abort();
          await loop;
          await producer?.disconnect().catch(() => {});
        },
      };
    },

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
        await consumer.connect();
        await consumer.subscribe({ topics: [...TOPICS], fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: true,
          eachBatch: async ({ batch, heartbeat, isRunning, isStale }) => {
            if (paused || !isRunning() || isStale()) return;
            const messages = batch.messages.map((m) => ({ offset: Number(m.offset), value: m.value?.toString('utf8') ?? '' }));
            const work = subscriber.onBatch({ topic: batch.topic, partition: batch.partition, messages }, heartbeat);
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
