import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, Partitioners, type KafkaConfig, type Producer } from 'kafkajs';
import type { Outbox, OutboxRow } from '../outbox/outbox.js';
import type { PipelineLog } from '../pipeline-log.js';
import type { BusForwarder, ForwarderStats } from './event-bus.js';
import { planBatches } from './kafka-batches.js';
import { recordRefusal } from './kafka-errors.js';
import { trackedSockets } from './kafka-sockets.js';

export interface KafkaForwarderOptions {
  /** The bus's client settings; the forwarder makes its own client so it can cut its own sockets. */
  kafka: KafkaConfig & { clientId: string };
  outbox: Outbox;
  log: PipelineLog;
  pollMs: number;
  retryMaxMs: number;
  batchSize: number;
  maxBatchBytes: number;
  topicPartitions: number;
  /** Never throws; resolves once the topics exist or their creation was given up. */
  ensureTopics: (kafka: Kafka) => Promise<void>;
}

class Abandoned extends Error {
  constructor() {
    super('abandoned: the forwarder was told to stop');
    this.name = 'Abandoned';
  }
}

/** `work`, unless `signal` fires first; the work then goes on unobserved and its outcome is dropped. */
function abandonable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => {});
  if (signal.aborted) return Promise.reject(new Abandoned());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Abandoned());
    signal.addEventListener('abort', onAbort, { once: true });
    void work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Ships outbox rows to Kafka (key = the row's key, acks from all in-sync replicas) in requests
 * bounded by rows and bytes, and deletes rows only once acknowledged. Rows the broker refuses for
 * good are found by halving the refused request and set aside, so they never block the rest.
 */
export function createKafkaForwarder(options: KafkaForwarderOptions): BusForwarder {
  const { outbox, log } = options;
  const sockets = trackedSockets(options.kafka.socketFactory);
  const kafka = new Kafka({ ...options.kafka, socketFactory: sockets.factory });
  const stats: ForwarderStats = { forwarded: 0, setAside: 0 };
  let state: 'stopped' | 'running' | 'draining' = 'stopped';
  let loop: Promise<void> = Promise.resolve();
  let producer: Producer | undefined;
  /** Wakes the idle wait when a stop begins. */
  let wake = new AbortController();
  /** Fires when the forwarder may no longer wait for Kafka: at once, or at the drain deadline. */
  let halt = new AbortController();

  const bounded = <T>(work: Promise<T>) => abandonable(work, halt.signal);

  async function connected(): Promise<Producer> {
    if (producer) return producer;
    await bounded(options.ensureTopics(kafka));
    const fresh = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: true });
    producer = fresh;
    await bounded(fresh.connect());
    return fresh;
  }

  async function dropProducer(): Promise<void> {
    const stale = producer;
    producer = undefined;
    if (stale) await bounded(stale.disconnect()).catch(() => {});
  }

  async function send(rows: readonly OutboxRow[]): Promise<void> {
    const ready = await connected();
    const byTopic = new Map<string, { key: string; value: string }[]>();
    for (const row of rows) {
      const list = byTopic.get(row.topic) ?? [];
      list.push({ key: row.key, value: row.payload });
      byTopic.set(row.topic, list);
    }
    await bounded(ready.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) }));
  }

  function setAside(rows: OutboxRow[], reason: string, detail: object): void {
    outbox.setAside(rows, reason);
    stats.setAside += rows.length;
    for (const row of rows) {
      log.error({ ...detail, topic: row.topic, id: row.id, reason }, 'kafka refuses an event for good; it is set aside in the outbox');
    }
  }

  /**
   * A refused request says only that some record in it is bad: halving finds those rows in
   * about 2·log2(n) requests and ships the rest. A transient error propagates untouched, so the
   * rows stay for the retry loop. After a partial success kafkajs reports the error alone, so
   * rows of other partitions can arrive twice (readers de-duplicate by event_id).
   */
  async function deliver(rows: OutboxRow[]): Promise<void> {
    try {
      await send(rows);
    } catch (err) {
      const refusal = halt.signal.aborted ? undefined : recordRefusal(err);
      if (refusal === undefined) throw err;
      if (rows.length === 1) return setAside(rows, `refused by kafka: ${refusal}`, { err });
      const half = Math.ceil(rows.length / 2);
      await deliver(rows.slice(0, half));
      await deliver(rows.slice(half));
      return;
    }
    outbox.remove(rows);
    stats.forwarded += rows.length;
  }

  /** Disconnects politely while the deadline allows; past it, cuts the sockets and moves on. */
  async function closeProducer(): Promise<void> {
    const stale = producer;
    producer = undefined;
    const closing = stale?.disconnect().catch(() => {}) ?? Promise.resolve();
    await abandonable(closing, halt.signal).catch(async () => {
      // kafkajs's disconnect waits for requests in flight, up to their 30 s timeout: cutting the
      // sockets fails them now, so neither this stop nor the process's exit waits on Kafka.
      sockets.cutAll();
      await Promise.race([closing, sleep(100)]);
    });
  }

  async function forward(): Promise<void> {
    let failures = 0;
    while (state !== 'stopped' && !halt.signal.aborted) {
      const rows = outbox.readAny(options.batchSize);
      if (rows.length === 0) {
        if (state === 'draining') return;
        await sleep(options.pollMs, undefined, { signal: wake.signal }).catch(() => {});
        continue;
      }
      try {
        const plan = planBatches(rows, options.maxBatchBytes, options.topicPartitions, options.kafka.clientId);
        for (const { row, bytes } of plan.tooLarge) {
          setAside([row], `too large: ${bytes} bytes`, { bytes, maxBatchBytes: options.maxBatchBytes });
        }
        for (const batch of plan.batches) await deliver(batch);
        if (failures > 0) log.info({ backlog: outbox.size() }, 'kafka is reachable again; draining the outbox');
        failures = 0;
      } catch (err) {
        if (halt.signal.aborted) return;
        failures++;
        if (failures === 1 || failures % 20 === 0) {
          log.warn({ err, backlog: outbox.size() }, 'kafka is unreachable; events wait in the outbox');
        }
        await dropProducer();
        const backoff = Math.min(options.retryMaxMs, options.pollMs * 2 ** Math.min(failures, 10));
        await sleep(backoff, undefined, { signal: halt.signal }).catch(() => {});
      }
    }
  }

  return {
    start() {
      if (state !== 'stopped') return;
      state = 'running';
      wake = new AbortController();
      halt = new AbortController();
      loop = forward();
    },

    async stop(stopOptions = {}) {
      const drainMs = Math.max(0, stopOptions.drainMs ?? 0);
      const before = { ...stats };
      if (state !== 'stopped') {
        state = drainMs > 0 ? 'draining' : 'stopped';
        wake.abort();
        const deadline = drainMs > 0 ? setTimeout(() => halt.abort(), drainMs) : undefined;
        if (!deadline) halt.abort();
        await loop;
        await closeProducer();
        clearTimeout(deadline);
        state = 'stopped';
      }

      const left = outbox.size();
      const drained = stats.forwarded - before.forwarded;
      const setAside = stats.setAside - before.setAside;
      if (left > 0) {
        log.warn({ left, drained, setAside, drainMs }, 'kafka forwarder stopped with events in the outbox; they are sent on the next start');
      } else {
        log.info({ drained, setAside, drainMs }, 'kafka forwarder stopped; the outbox is empty');
      }
      return { left };
    },

    stats: () => ({ ...stats }),
  };
}
