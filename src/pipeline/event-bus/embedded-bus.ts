import { setTimeout as sleep } from 'node:timers/promises';
import { type Clock, systemClock } from '../../platform/clock.js';
import { isTopic, TOPICS } from '../events.js';
import type { Outbox } from '../outbox/outbox.js';
import { acquireSinkLock, type SinkLock, type SinkLockOptions } from '../outbox/sink-lock.js';
import { type PipelineLog, silentLog } from '../pipeline-log.js';
import type { BusConsumer, BusForwarder, BusSubscriber, EventBus } from './event-bus.js';

export interface EmbeddedBusOptions {
  /** How long an idle consumer waits before looking at the outbox again. */
  pollMs?: number;
  /** Rows read per query. */
  batchSize?: number;
  /** Dates the heartbeats of the one-sink lock; liveness is wall time, so the system clock by default. */
  clock?: Clock;
  log?: PipelineLog;
  /** Timings of the one-sink lock. */
  lock?: Pick<SinkLockOptions, 'staleAfterMs' | 'heartbeatMs'>;
}

// The outbox is the embedded bus's log: nothing ever waits to be forwarded.
const idleForwarder: BusForwarder = {
  start: () => {},
  stop: async () => ({ left: 0 }),
  stats: () => ({ forwarded: 0, setAside: 0 }),
};

/**
 * The outbox is the log: each topic is one partition (0), offsets are outbox row ids, and each
 * consumer group's committed position per topic lives in the outbox file. Committed rows are pruned.
 * One consumer at a time per outbox, whatever its group: `start()` takes the outbox's sink lock.
 */
export function createEmbeddedBus(outbox: Outbox, options: EmbeddedBusOptions = {}): EventBus {
  const pollMs = options.pollMs ?? 200;
  const batchSize = options.batchSize ?? 5000;
  const lockOptions: SinkLockOptions = { clock: options.clock ?? systemClock, log: options.log ?? silentLog, ...options.lock };
  return {
    kind: 'embedded',
    forwarder: () => idleForwarder,
    consumer(group): BusConsumer {
      let state: 'idle' | 'running' | 'draining' | 'stopped' = 'idle';
      let loop: Promise<void> | undefined;
      let wake = new AbortController();
      /** While draining: the end of each topic's log when the pause began. */
      let drainTo = new Map<string, number>();
      let lock: SinkLock | undefined;
      const heartbeat = async () => {};
      // A sink that lost its lock (it looked dead to a newer one) must stop reading too.
      const active = () => (state === 'running' || state === 'draining') && lock?.held() !== false;

      async function consume(subscriber: BusSubscriber): Promise<void> {
        while (active()) {
          try {
            await consumeFromCommitted(subscriber);
            return;
          } catch {
            // A subscriber failure (say, a position commit that failed) leaves the log unread
            // from the committed positions on: read it again from there. The subscriber keeps
            // what it buffered and skips offsets it already has, so this is no reset.
            if (state === 'draining') return;
            await sleep(pollMs, undefined, { signal: wake.signal }).catch(() => {});
          }
        }
      }

      async function consumeFromCommitted(subscriber: BusSubscriber): Promise<void> {
        const read = new Map(TOPICS.map((t) => [t, outbox.committed(group, t)]));
        while (active()) {
          let delivered = 0;
          for (const topic of TOPICS) {
            let rows = outbox.readTopic(topic, read.get(topic) ?? 0, batchSize);
            if (state === 'draining') rows = rows.filter((r) => r.id <= (drainTo.get(topic) ?? 0));
            if (rows.length === 0) continue;
            delivered += rows.length;
            read.set(topic, rows[rows.length - 1]!.id);
            const messages = rows.map((r) => ({ offset: r.id, value: r.payload }));
            await subscriber.onBatch({ topic, partition: 0, messages }, heartbeat);
          }
          if (delivered > 0) continue;
          // Draining ends once the log has been read to its end.
          if (state === 'draining') return;
          await sleep(pollMs, undefined, { signal: wake.signal }).catch(() => {});
        }
      }

      return {
        source: outbox.logId,
        async start(subscriber) {
          lock = acquireSinkLock(outbox.sinkLock, lockOptions);
          state = 'running';
          loop = consume(subscriber);
        },
        writable: () => lock?.held() !== false,
        async commit({ topic, offset }) {
          if (!isTopic(topic)) throw new Error(`not an event topic: ${topic}`);
          if (lock?.held() === false) throw new Error('another sink took this data directory over');
          // Offsets name the next row to read; the log stores the last row consumed.
          outbox.commit(group, topic, offset - 1, true);
        },
        /** The log is local, so a pause first hands out everything already in it. */
        async pause() {
          if (state === 'running') {
            drainTo = new Map(TOPICS.map((t) => [t, outbox.lastId(t)]));
            state = 'draining';
          }
          wake.abort();
          wake = new AbortController();
          await loop;
          state = 'stopped';
        },
        async stop() {
          state = 'stopped';
          wake.abort();
          await loop;
          lock?.release();
        },
      };
    },
  };
}
