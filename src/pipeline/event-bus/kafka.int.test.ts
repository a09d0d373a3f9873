import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { createIdGenerator } from '../../platform/ids.js';
import { openDuckDb, sqlString } from '../../test-support/duckdb.js';
import { cuttableNetwork, kcatAvailable, startTestKafka, type TestKafka } from '../../test-support/kafka.js';
import { until } from '../../test-support/until.js';
import type { LoggedEvent, Topic } from '../events.js';
import type { Lake } from '../lake/lake.js';
import { listEventFiles, readAllEvents, readTopicEvents } from '../lake/lake-reader.js';
import { topicPrefix } from '../lake/layout.js';
import { createMemoryLake } from '../lake/memory-lake.js';
import { openOutbox, type Outbox } from '../outbox/outbox.js';
import { silentLog, type PipelineLog } from '../pipeline-log.js';
import { createOutboxRecorder } from '../recorder.js';
import { EventSink } from '../sink/sink.js';
import { createKafkaBus } from './kafka-bus.js';

const hasKcat = kcatAvailable();
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(log: PipelineLog = silentLog, socketFactory?: ReturnType<typeof cuttableNetwork>['socketFactory']) {
  const kafka: TestKafka = await startTestKafka();
  cleanups.push(() => kafka.close());
  const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-kafka-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const outbox: Outbox = openOutbox(path.join(dir, 'outbox.db'));
  cleanups.push(() => outbox.close());
  const clock = manualClock('2026-11-27T03:00:00Z');
  const recorder = createOutboxRecorder({ outbox, clock, ids: createIdGenerator(clock), log });
  const bus = createKafkaBus(
    { brokers: kafka.brokers, clientId: 'test' },
    {
      outbox,
      log,
      pollMs: 20,
      retryMaxMs: 200,
      groupTimings: { sessionTimeout: 3000, rebalanceTimeout: 3000, heartbeatInterval: 200 },
      ...(socketFactory ? { socketFactory } : {}),
    },
  );
  const lake = createMemoryLake();
  let n = 0;
  const record = (count: number) => {
    for (let i = 0; i < count; i++, n++) {
      const topic = n % 3 === 0 ? 'View_detail_log' : 'Search_log';
      // Every other user is signed in with demographics, so the typed columns carry values.
      const actor =
        n % 2 === 0 ? { user_id: `user-${n % 5}`, device: 'ua', gender: 'F', birth_year: 1990 } : { user_id: `user-${n % 5}`, device: 'ua' };
      const fields = topic === 'Search_log' ? { keyword: `kw-${n}`, result_count: n } : { ticket_id: `t-${n}`, title: `공연 ${n}` };
      recorder.record(topic, 'test', actor, fields);
    }
    recorder.flush();
  };
  const sinkOn = (group = 'sink') => {
    const sink = new EventSink({ consumer: bus.consumer(group), lake, clock, log }, { maxEvents: 20, maxAgeMs: 60_000, retryBaseMs: 10 });
    return sink;
  };
  return { kafka, outbox, clock, bus, lake, record, sinkOn, recorded: () => n };
}

/** The lake as files on disk, so DuckDB can read what the sink wrote to the in-memory lake. */
async function lakeOnDisk(lake: Lake): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-lake-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  for (const o of await listEventFiles(lake)) {
    const file = path.join(dir, ...o.key.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, (await lake.get(o.key))!);
  }
  return dir;
}

async function untilLakeHolds(lake: Lake, count: number, flush: () => Promise<void>) {
  await until(
    `the lake holds ${count} distinct events`,
    async () => {
      await flush();
      return new Set((await readAllEvents(lake, { keepDuplicates: true })).map((e) => e.event_id)).size >= count;
    },
    60_000,
  );
}

describe.skipIf(!hasKcat)('the Kafka bus (kcat mock cluster)', () => {
  it('when events are recorded, then they reach Kafka keyed by user and the lake exactly once', async () => {
    const t = await setup();
    const forwarder = t.bus.forwarder();
    forwarder.start();
    cleanups.push(() => forwarder.stop());
    const sink = t.sinkOn();
    await sink.start();
    t.record(150);
    await until('the outbox is shipped', () => t.outbox.size() === 0);

    const inspect = new Kafka({ brokers: t.kafka.brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: 'inspect' });
    cleanups.push(() => inspect.disconnect());
    const keys: [string, string][] = [];
    await inspect.connect();
    await inspect.subscribe({ topic: 'Search_log', fromBeginning: true });
    await inspect.run({
      eachMessage: async ({ message }) => {
        keys.push([message.key!.toString(), (JSON.parse(message.value!.toString()) as LoggedEvent).user_id]);
      },
    });

    await untilLakeHolds(t.lake, 150, async () => {
      t.clock.advance(60_000);
      await sink.flushOld();
    });
    await sink.stop();
    const events = await readAllEvents(t.lake, { keepDuplicates: true });
    expect(events).toHaveLength(150);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(150);
    await until('the inspector has read the search events', () => keys.length === 100);
    expect(keys.every(([key, user]) => key === user)).toBe(true);

    // An independent reader: DuckDB counts each topic's rows and distinct ids and names the types.
    const dir = await lakeOnDisk(t.lake);
    const duck = await openDuckDb();
    cleanups.push(() => duck.close());
    const filesOf = (topic: Topic) =>
      `read_parquet(${sqlString(path.join(dir, ...topicPrefix(topic).split('/'), '**', '*.parquet'))}, union_by_name=true)`;
    for (const [topic, expected] of [
      ['Search_log', 100],
      ['View_detail_log', 50],
    ] as const) {
      const counts = await duck.all(`SELECT count(*)::INTEGER AS n, count(DISTINCT event_id)::INTEGER AS ids FROM ${filesOf(topic)}`);
      expect(counts).toEqual([{ n: expected, ids: expected }]);
    }
    const searchTypes = await duck.types(`SELECT * FROM ${filesOf('Search_log')}`);
    expect(searchTypes).toMatchObject({
      event_id: 'VARCHAR',
      timestamp: 'TIMESTAMP WITH TIME ZONE',
      user_id: 'VARCHAR',
      keyword: 'VARCHAR',
      result_count: 'INTEGER',
      birth_year: 'INTEGER',
      gender: 'VARCHAR',
    });
    expect(await duck.types(`SELECT * FROM ${filesOf('View_detail_log')}`)).toMatchObject({
      timestamp: 'TIMESTAMP WITH TIME ZONE',
      ticket_id: 'VARCHAR',
      birth_year: 'INTEGER',
    });
    const [typed] = await duck.all(
      `SELECT sum(result_count)::INTEGER AS results, count(birth_year)::INTEGER AS born, min(timestamp)::VARCHAR AS first FROM ${filesOf('Search_log')}`,
    );
    // n = 1..149 without multiples of 3: the values survive the trip, not just the column types.
    expect(typed).toEqual({ results: 7500, born: 50, first: '2026-11-27 03:00:00+00' });
  }, 90_000);

  it('when Kafka is unreachable, then recording goes on, the outbox grows with a warning, and all drains later', async () => {
    const net = cuttableNetwork();
    const warnings: string[] = [];
    const log: PipelineLog = { info: () => {}, error: () => {}, warn: (_o, msg) => warnings.push(msg) };
    net.cut();
    const t = await setup(log, net.socketFactory);
    const forwarder = t.bus.forwarder();
    forwarder.start();
    cleanups.push(() => forwarder.stop());
    t.record(60);
    await until('the forwarder warns', () => warnings.includes('kafka is unreachable; events wait in the outbox'));
    t.record(40);
    expect(t.outbox.size()).toBe(100);
    const sink = t.sinkOn();
    await sink.start(); // returns at once: the sink keeps trying in the background
    await until('the sink warns too', () => warnings.includes('kafka is unreachable; the sink keeps trying'));

    net.restore();
    await until('the outbox drains', () => t.outbox.size() === 0, 60_000);
    await untilLakeHolds(t.lake, 100, async () => {
      t.clock.advance(60_000);
      await sink.flushOld();
    });
    await sink.stop();
    expect(await readAllEvents(t.lake, { keepDuplicates: true })).toHaveLength(100);
    // Unreachable is transient: nothing may have been set aside for it.
    expect(forwarder.stats()).toEqual({ forwarded: 100, setAside: 0 });
    expect(t.outbox.setAsideCount()).toBe(0);
  }, 90_000);

  it('when a second sink joins and the first one dies, then the group rebalances and every event lands once', async () => {
    const t = await setup();
    const forwarder = t.bus.forwarder();
    forwarder.start();
    cleanups.push(() => forwarder.stop());
    const first = t.sinkOn();
    await first.start();
    t.record(200);
    await until('the first sink writes files', async () => (await listEventFiles(t.lake)).length >= 2, 60_000);

    const second = t.sinkOn();
    await second.start();
    t.record(200);
    await until('the second sink gets partitions and writes', () => second.filesWritten >= 1, 60_000);
    // The first sink dies with a buffer it never wrote: those events must come again to the second.
    await first.abandon();
    t.record(100);

    await untilLakeHolds(t.lake, 500, async () => {
      t.clock.advance(60_000);
      await second.flushOld();
    });
    await second.stop();
    // A file written by the old owner while the group was already moving its partition can
    // repeat rows of the new owner's file; readers de-duplicate by event_id (readTopicEvents).
    const events = await readTopicEvents(t.lake, 'Search_log');
    const views = await readTopicEvents(t.lake, 'View_detail_log');
    expect(events.length + views.length).toBe(500);
  }, 120_000);
});
