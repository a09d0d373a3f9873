import { setTimeout as sleep } from 'node:timers/promises';
import { isTopic, TOPICS } from '../events.js';
import type { Outbox } from '../outbox/outbox.js';
import type { BusConsumer, BusForwarder, BusSubscriber, EventBus } from './event-bus.js';

export interface EmbeddedBusOptions {
  /** How long an idle consumer waits before looking at the outbox again. */
  pollMs?: number;
  /** Rows read per query. */
  batchSize?: number;
}

const idleForwarder: BusForwarder = { start: () => {}, stop: async () => {} };

/**
 * The outbox is the log: each topic is one partition (0), offsets are outbox row ids, and each
 * consumer group's committed position per topic lives in the outbox file. Committed rows are pruned.
 */
export function createEmbeddedBus(outbox: Outbox, options: EmbeddedBusOptions = {}): EventBus {
  const pollMs = options.pollMs ?? 200;
  const batchSize = options.batchSize ?? 5000;
  return {
    kind: 'embedded',
    forwarder: () => idleForwarder,
    consumer(group): BusConsumer {
      let running = false;
      let loop: Promise<void> | undefined;
      const wake = new AbortController();
      const stopSignal = wake.signal;

      async function consume(subscriber: BusSubscriber): Promise<void> {
        while (running) {
          try {
            await consumeFromCommitted(subscriber);
          } catch {
            // A subscriber failure means nothing uncommitted can be trusted: start over from the
            // committed positions, as Kafka would after a rebalance.
            await subscriber.onReset().catch(() => {});
            await sleep(pollMs, undefined, { signal: stopSignal }).catch(() => {});
          }
        }
      }

      async function consumeFromCommitted(subscriber: BusSubscriber): Promise<void> {
        const read = new Map(TOPICS.map((t) => [t, outbox.committed(group, t)]));
        const heartbeat = async () => {};
        while (running) {
          let delivered = 0;
          for (const topic of TOPICS) {
            if (!running) break;
            const rows = outbox.readTopic(topic, read.get(topic) ?? 0, batchSize);
            if (rows.length === 0) continue;
            delivered += rows.length;
            read.set(topic, rows[rows.length - 1]!.id);
            const messages = rows.map((r) => ({ offset: r.id, value: r.payload }));
            await subscriber.onBatch({ topic, partition: 0, messages }, heartbeat);
          }
          if (delivered === 0 && running) await sleep(pollMs, undefined, { signal: stopSignal }).catch(() => {});
        }
      }

      return {
        async start(subscriber) {
          running = true;
          loop = consume(subscriber);
          loop.catch(() => {});
        },
        async commit({ topic, offset }) {
          if (!isTopic(topic)) throw new Error(`not an event topic: ${topic}`);
          // Offsets name the next row to read; the log stores the last row consumed.
          outbox.commit(group, topic, offset - 1, true);
        },
        async pause() {
          running = false;
          wake.abort();
          await loop;
        },
        async stop() {
          running = false;
          wake.abort();
          await loop;
        },
      };
    },
  };
}
