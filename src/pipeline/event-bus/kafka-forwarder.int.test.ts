import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type ISocketFactory } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { createIdGenerator } from '../../platform/ids.js';
import { cuttableNetwork, kcatAvailable, startKafkaProxy, startTestKafka, type KafkaProxy, type TestKafka } from '../../test-support/kafka.js';
import { until } from '../../test-support/until.js';
import type { Actor, EventFields, LoggedEvent, Topic } from '../events.js';
import { openOutbox } from '../outbox/outbox.js';
import type { PipelineLog } from '../pipeline-log.js';
import { createOutboxRecorder } from '../recorder.js';
import { createKafkaBus, type KafkaBusConfig } from './kafka-bus.js';

const hasKcat = kcatAvailable();
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const BOTH: Topic[] = ['Search_log', 'View_detail_log'];

interface LogLine {
  level: 'info' | 'warn' | 'error';
  msg: string;
  obj: Record<string, unknown>;
}

interface Made {
  topic?: Topic;
  actor?: Actor;
  fields?: EventFields;
}

async function setup(options: { config?: Partial<KafkaBusConfig>; network?: (kafka: TestKafka) => Promise<ISocketFactory> | ISocketFactory } = {}) {
  const kafka = await startTestKafka();
  cleanups.push(() => kafka.close());
  const socketFactory = options.network ? await options.network(kafka) : undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-forwarder-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const outbox = openOutbox(path.join(dir, 'outbox.db'));
  cleanups.push(() => outbox.close());
  const lines: LogLine[] = [];
  const line = (level: LogLine['level']) => (obj: object, msg: string) => lines.push({ level, msg, obj: obj as Record<string, unknown> });
  const log: PipelineLog = { info: line('info'), warn: line('warn'), error: line('error') };
  const clock = manualClock('2026-11-27T03:00:00Z');
  const recorder = createOutboxRecorder({ outbox, clock, ids: createIdGenerator(clock), log });
  const bus = createKafkaBus(
    { brokers: kafka.brokers, clientId: 'test', ...options.config },
    { outbox, log, pollMs: 20, retryMaxMs: 200, ...(socketFactory ? { socketFactory } : {}) },
  );
  const forwarder = bus.forwarder();
  cleanups.push(() => forwarder.stop());
  let n = 0;
  /** Records `count` events, a third of them detail views, unless `make` says otherwise. */
  const record = (count: number, make: (n: number) => Made = () => ({})) => {
    for (let i = 0; i < count; i++, n++) {
      const made = make(n);
      const topic = made.topic ?? (n % 3 === 0 ? 'View_detail_log' : 'Search_log');
      recorder.record(
        topic,
        'test',
        made.actor ?? { user_id: `user-${n % 5}`, device: 'ua' },
        made.fields ?? { keyword: `kw-${n}`, ticket_id: `t-${n}` },
      );
    }
    recorder.flush();
  };
  return { kafka, outbox, forwarder, lines, record };
}

/** Messages Kafka holds on these topics, from the partitions' offsets (no consumer involved). */
async function messagesIn(kafka: TestKafka, topics: readonly Topic[]): Promise<{ total: number; partitionsUsed: number }> {
  const admin = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    let total = 0;
    let partitionsUsed = 0;
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        const held = Number(p.high) - Number(p.low);
        total += held;
        if (held > 0) partitionsUsed++;
      }
    }
    return { total, partitionsUsed };
  } finally {
    await admin.disconnect();
  }
}

/** Every event on these topics, read by a consumer group of its own from the beginning. */
async function readBack(kafka: TestKafka, topics: readonly Topic[], count: number): Promise<LoggedEvent[]> {
  const consumer = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING }).consumer({
    groupId: 'read-back',
    sessionTimeout: 3000,
    rebalanceTimeout: 3000,
    heartbeatInterval: 200,
  });
  cleanups.push(() => consumer.disconnect());
  const events: LoggedEvent[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      events.push(JSON.parse(message.value!.toString()) as LoggedEvent);
    },
  });
  await until(`${count} events are read back`, () => events.length >= count, 60_000);
  return events;
}

describe.skipIf(!hasKcat)('the Kafka forwarder (kcat mock cluster)', () => {
  it('when it stops with a drain time, then it first ships the whole outbox, and Kafka holds every event once', async () => {
    const t = await setup();
    t.record(2000);
    expect(t.outbox.size()).toBe(2000);
    t.forwarder.start();
    expect(await t.forwarder.stop({ drainMs: 10_000 })).toEqual({ left: 0 });
    expect(t.outbox.size()).toBe(0);
    expect(t.forwarder.stats()).toEqual({ forwarded: 2000, setAside: 0 });
    expect(t.lines).toContainEqual({
      level: 'info',
      msg: 'kafka forwarder stopped; the outbox is empty',
      obj: { drained: 2000, setAside: 0, drainMs: 10_000 },
    });
    expect((await messagesIn(t.kafka, BOTH)).total).toBe(2000);
    const events = await readBack(t.kafka, BOTH, 2000);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(2000);
  }, 90_000);

  it.each(['refuses connections', 'accepts connections and never answers'] as const)(
    'when Kafka %s, then a drain returns at its deadline and the rows wait in the outbox for the next start',
    async (how) => {
      const network = cuttableNetwork();
      cleanups.push(() => network.close());
      const t = await setup({ network: () => network.socketFactory });
      if (how === 'refuses connections') network.cut();
      else await network.stall();
      t.record(100);
      t.forwarder.start();
      const began = performance.now();
      expect(await t.forwarder.stop({ drainMs: 500 })).toEqual({ left: 100 });
      expect(performance.now() - began).toBeLessThan(2000);
      expect(t.outbox.size()).toBe(100);
      expect(t.outbox.setAsideCount()).toBe(0);
      expect(t.lines).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          msg: 'kafka forwarder stopped with events in the outbox; they are sent on the next start',
          obj: expect.objectContaining({ left: 100 }),
        }),
      );

      network.restore();
      t.forwarder.start();
      expect(await t.forwarder.stop({ drainMs: 20_000 })).toEqual({ left: 0 });
      expect((await messagesIn(t.kafka, BOTH)).total).toBeGreaterThanOrEqual(100);
      expect(new Set((await readBack(t.kafka, BOTH, 100)).map((e) => e.event_id)).size).toBe(100);
    },
    90_000,
  );

  it('when one event alone is over the byte limit, then it is set aside with its size and every other event arrives', async () => {
    const t = await setup({ config: { maxBatchBytes: 4096 } });
    t.record(30);
    t.record(1, () => ({ topic: 'Search_log', fields: { keyword: 'k'.repeat(10_000) } }));
    t.record(30);
    t.forwarder.start();
    expect(await t.forwarder.stop({ drainMs: 10_000 })).toEqual({ left: 0 });
    expect(t.forwarder.stats()).toEqual({ forwarded: 60, setAside: 1 });
    expect(t.outbox.setAsideCount()).toBe(1);
    const refused = t.lines.filter((l) => l.level === 'error' && l.msg.includes('set aside'));
    expect(refused).toHaveLength(1);
    expect(refused[0]!.obj.reason).toMatch(/^too large: 10\d{3} bytes$/);
    const events = await readBack(t.kafka, BOTH, 60);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(60);
    expect(events.some((e) => String(e.keyword).length > 100)).toBe(false);
  }, 90_000);

  it('when the broker refuses one record for good, then halving finds it, only it is set aside, and the rest arrive once', async () => {
    let proxy!: KafkaProxy;
    const t = await setup({
      network: async (kafka) => {
        proxy = await startKafkaProxy(kafka);
        cleanups.push(() => proxy.close());
        return proxy.socketFactory;
      },
    });
    proxy.refuseProduceContaining('REFUSE-ME', 10); // MESSAGE_TOO_LARGE
    t.record(70);
    t.record(1, () => ({ topic: 'Search_log', fields: { keyword: 'REFUSE-ME' } }));
    t.record(79);
    t.forwarder.start();
    expect(await t.forwarder.stop({ drainMs: 20_000 })).toEqual({ left: 0 });
    expect(t.forwarder.stats()).toEqual({ forwarded: 149, setAside: 1 });
    expect(t.outbox.setAsideCount()).toBe(1);
    // One request of 150 rows, then one refused half per level down to the row: at most 1 + log2(150).
    expect(proxy.refusedRequests).toBeGreaterThan(1);
    expect(proxy.refusedRequests).toBeLessThanOrEqual(9);
    const refused = t.lines.filter((l) => l.level === 'error' && l.msg.includes('set aside'));
    expect(refused.map((l) => l.obj.reason)).toEqual(['refused by kafka: MESSAGE_TOO_LARGE']);
    // Refused requests never reached the broker: nothing arrived twice.
    expect((await messagesIn(t.kafka, BOTH)).total).toBe(149);
  }, 90_000);

  it('when many large events wait, then every produce request stays within the byte limit and all of them arrive', async () => {
    const limit = 64 * 1024;
    let proxy!: KafkaProxy;
    const t = await setup({
      config: { maxBatchBytes: limit },
      network: async (kafka) => {
        proxy = await startKafkaProxy(kafka);
        cleanups.push(() => proxy.close());
        return proxy.socketFactory;
      },
    });
    // ~5 KB of UTF-8 keyword each (three bytes per Hangul syllable).
    t.record(1000, (n) => ({ topic: 'Search_log', fields: { keyword: `${n}-${'공연'.repeat(850)}` } }));
    t.forwarder.start();
    expect(await t.forwarder.stop({ drainMs: 60_000 })).toEqual({ left: 0 });
    const sizes = proxy.produceRequestSizes;
    const fewest = Math.ceil((1000 * 5100) / limit);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(limit);
    expect(sizes.length).toBeGreaterThanOrEqual(fewest);
    // The requests are full, not one row each.
    expect(sizes.length).toBeLessThan(fewest * 1.5);
    expect((await messagesIn(t.kafka, ['Search_log'])).total).toBe(1000);
  }, 90_000);

  it('when anonymous events are forwarded, then their own ids spread them over the partitions', async () => {
    const t = await setup({ config: { topicPartitions: 3 } });
    t.record(300, () => ({ topic: 'Search_log', actor: { user_id: 'anonymous', device: 'ua' } }));
    t.forwarder.start();
    expect(await t.forwarder.stop({ drainMs: 10_000 })).toEqual({ left: 0 });
    const held = await messagesIn(t.kafka, ['Search_log']);
    expect(held.total).toBe(300);
    expect(held.partitionsUsed).toBeGreaterThan(1);
    // The kcat mock has no CreateTopics: the service says so once and the broker auto-creates.
    t.forwarder.start();
    await t.forwarder.stop({ drainMs: 1000 });
    const warnings = t.lines.filter((l) => l.msg.startsWith('kafka: could not create the event topics'));
    expect(warnings).toHaveLength(1);
  }, 90_000);
});
