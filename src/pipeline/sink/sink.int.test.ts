import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock, type Clock } from '../../platform/clock.js';
import { createIdGenerator } from '../../platform/ids.js';
import { until } from '../../test-support/until.js';
import { createEmbeddedBus } from '../event-bus/embedded-bus.js';
import type { BusConsumer } from '../event-bus/event-bus.js';
import type { Topic } from '../events.js';
import type { Lake } from '../lake/lake.js';
import { decodeEventFile, listEventFiles, readAllEvents, readTopicEvents } from '../lake/lake-reader.js';
import { eventFileKey, FILE_SPAN_MS, parseLakeKey, stampMs } from '../lake/layout.js';
import { createMemoryLake } from '../lake/memory-lake.js';
import { openOutbox, type Outbox } from '../outbox/outbox.js';
import { silentLog } from '../pipeline-log.js';
import { createOutboxRecorder } from '../recorder.js';
import { EventSink } from './sink.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(clock: Clock = manualClock('2026-11-27T03:00:00Z')) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-sink-'));
  dirs.push(dir);
  const outbox = openOutbox(path.join(dir, 'outbox.db'));
  const recorder = createOutboxRecorder({ outbox, clock, ids: createIdGenerator(clock), log: silentLog });
  const record = (topic: Topic, n: number) => {
    for (let i = 0; i < n; i++) {
      if (topic === 'Search_log') {
        recorder.record(topic, 'search', { user_id: `u${i % 7}`, device: 'test' }, { keyword: `k${i}`, result_count: i });
      } else if (topic === 'View_detail_log') {
        recorder.record(topic, 'view_detail', { user_id: 'anonymous', device: 'test' }, { ticket_id: `t${i}`, title: '공연', category: '연극' });
      } else {
        recorder.record(topic, 'login', { user_id: `u${i}`, device: 'test' }, { status: 'success' });
      }
    }
    recorder.flush();
  };
  return { dir, outbox, record, clock };
}

function startSink(outbox: Outbox, lake: Lake, clock: Clock, maxEvents = 1000, maxAgeMs = 3_600_000, wrap = (c: BusConsumer) => c) {
  const bus = createEmbeddedBus(outbox, { pollMs: 10 });
  const consumer = wrap(bus.consumer('sink'));
  return new EventSink({ consumer, lake, clock, log: silentLog }, { maxEvents, maxAgeMs, retryBaseMs: 5, retryMaxMs: 20 });
}

describe('the sink on the embedded bus', () => {
  it('when a topic reaches the size limit, then a full file is written and the rest waits for shutdown', async () => {
    const { outbox, record, clock } = setup();
    const lake = createMemoryLake();
    record('Search_log', 2500);
    record('View_detail_log', 3);
    const sink = startSink(outbox, lake, clock);
    await sink.start();
    await until('two full files are written', async () => (await listEventFiles(lake, 'Search_log')).length === 2);
    expect(await listEventFiles(lake, 'View_detail_log')).toEqual([]);
    await sink.stop();

    const searches = await readTopicEvents(lake, 'Search_log', { keepDuplicates: true });
    expect(searches).toHaveLength(2500);
    expect(new Set(searches.map((e) => e.event_id)).size).toBe(2500);
    expect(searches.map((e) => e.keyword)).toEqual(Array.from({ length: 2500 }, (_, i) => `k${i}`));
    expect(await readTopicEvents(lake, 'View_detail_log', { keepDuplicates: true })).toHaveLength(3);
    expect(outbox.size()).toBe(0);
  });

  it('when the buffered events stretch past the span (a sink catching up), then it cuts a file there, so names bound their times', async () => {
    const clock = manualClock('2026-11-25T00:00:00Z');
    const { outbox, record } = setup(clock);
    const lake = createMemoryLake();
    // three days of a quiet topic, recorded while no sink ran: 5 events every 90 minutes
    for (let i = 0; i < 48; i++) {
      clock.set(new Date(Date.parse('2026-11-25T00:00:00Z') + i * 90 * 60_000).toISOString());
      record('Search_log', 5);
    }
    const sink = startSink(outbox, lake, clock);
    await sink.start();
    await sink.stop();
    const files = await listEventFiles(lake, 'Search_log');
    // without the rule: one file (240 < 1000 events, and no age passes); with it: one per two 90-minute steps
    expect(files).toHaveLength(24);
    let total = 0;
    for (const file of files) {
      const stamp = parseLakeKey(file.key)!.batch!.stamp;
      const first = stampMs(stamp);
      const bytes = await lake.get(file.key);
      const events = await decodeEventFile(bytes!);
      total += events.length;
      for (const e of events) expect(Math.abs(Date.parse(e.timestamp) - first)).toBeLessThanOrEqual(FILE_SPAN_MS);
    }
    expect(total).toBe(240);
    expect(outbox.size()).toBe(0);
  });

  it('when the clock is frozen, then every file still gets its own name', async () => {
    const { outbox, record, clock } = setup();
    const lake = createMemoryLake();
    record('Search_log', 35);
    const sink = startSink(outbox, lake, clock, 10);
    await sink.start();
    await sink.stop();
    const keys = (await listEventFiles(lake, 'Search_log')).map((o) => o.key);
    const log = outbox.logId;
    expect(log).toMatch(/^[0-9a-f]{12}$/);
    const firstTimestamp = '2026-11-27T12:00:00.000+09:00';
    expect(keys).toEqual(
      [1, 11, 21, 31].map((firstOffset) => eventFileKey({ topic: 'Search_log', partition: 0, firstOffset, firstTimestamp, source: log })),
    );
  });

  it('when the oldest buffered event reaches the age limit, then its topic is written', async () => {
    const clock = manualClock('2026-11-27T03:00:00Z');
    const { outbox, record } = setup(clock);
    const lake = createMemoryLake();
    const sink = startSink(outbox, lake, clock, 1000, 60_000);
    await sink.start();
    record('View_detail_log', 5);
    await until('the sink has buffered the events', () => sink.buffered() === 5);
    clock.advance(59_000);
    await sink.flushOld();
    expect(await listEventFiles(lake)).toEqual([]);
    clock.advance(1_000);
    await sink.flushOld();
    expect((await listEventFiles(lake, 'View_detail_log')).length).toBe(1);
    expect(await readTopicEvents(lake, 'View_detail_log', { keepDuplicates: true })).toHaveLength(5);
    await sink.stop();
  });

  it('when the lake fails for a while, then the sink retries and every event lands exactly once', async () => {
    const { outbox, record, clock } = setup();
    const inner = createMemoryLake();
    let failures = 7;
    const flaky: Lake = {
      ...inner,
      put: async (key, body) => {
        if (failures-- > 0) throw new Error('lake unavailable');
        await inner.put(key, body);
      },
    };
    record('Search_log', 45);
    const sink = startSink(outbox, flaky, clock, 10);
    await sink.start();
    await until('the full files are written', async () => (await listEventFiles(inner)).length === 4);
    await sink.stop();
    const events = await readTopicEvents(inner, 'Search_log', { keepDuplicates: true });
    expect(events).toHaveLength(45);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(45);
  });

  it('when a sink restarts, then it continues after the committed position without rewriting', async () => {
    const { outbox, record, clock } = setup();
    const lake = createMemoryLake();
    record('Search_log', 12);
    const first = startSink(outbox, lake, clock, 5);
    await first.start();
    await first.stop();
    record('Search_log', 3);
    const second = startSink(outbox, lake, clock, 5);
    await second.start();
    await second.stop();
    expect(second.eventsWritten).toBe(3);
    const events = await readTopicEvents(lake, 'Search_log', { keepDuplicates: true });
    expect(events).toHaveLength(15);
  });
});

describe('stopping the sink', () => {
  it('when the lake stays down at shutdown, then stop returns after the grace period and nothing is committed', async () => {
    const { outbox, record, clock } = setup();
    const dead: Lake = { ...createMemoryLake(), put: async () => Promise.reject(new Error('lake down')) };
    record('Search_log', 30);
    const bus = createEmbeddedBus(outbox, { pollMs: 10 });
    const sink = new EventSink(
      { consumer: bus.consumer('sink'), lake: dead, clock, log: silentLog },
      { maxEvents: 10, maxAgeMs: 3_600_000, retryBaseMs: 5, retryMaxMs: 20, shutdownGraceMs: 200 },
    );
    await sink.start();
    await sink.stop();
    expect(sink.eventsWritten).toBe(0);
    expect(outbox.committed('sink', 'Search_log')).toBe(0);
    expect(outbox.size()).toBe(30);
  });
});

const outboxIds = (outbox: Outbox) => outbox.readAny(100_000).map((r) => (JSON.parse(r.payload) as { event_id: string }).event_id);

describe('a failing position commit', () => {
  // The 8th commit is the first one of the shutdown flush.
  it.each([1, 2, 3, 6, 8])('when commit number %i fails once, then every event of every topic lands exactly once', async (failing) => {
    const { outbox, record, clock } = setup();
    const inner = createMemoryLake();
    let puts = 0;
    const lake: Lake = { ...inner, put: async (key, body) => void (puts++, await inner.put(key, body)) };
    record('Login_log', 12);
    record('View_detail_log', 23);
    record('Search_log', 45);
    const recorded = outboxIds(outbox);
    let commits = 0;
    const sink = startSink(outbox, lake, clock, 10, 3_600_000, (consumer) => ({
      ...consumer,
      commit: async (position) => {
        if (++commits === failing) throw new Error('SQLITE_FULL: database or disk is full');
        await consumer.commit(position);
      },
    }));
    await sink.start();
    await until('the full files are written', async () => (await listEventFiles(inner)).length === 1 + 2 + 4);
    await sink.stop();

    const ids = (await readAllEvents(inner, { keepDuplicates: true })).map((e) => e.event_id);
    expect(ids).toHaveLength(80);
    expect(new Set(ids)).toEqual(new Set(recorded));
    expect(commits).toBeGreaterThan(failing);
    // The file whose commit failed was not written twice: only its commit was retried.
    expect(puts).toBe((await listEventFiles(inner)).length);
    expect(outbox.size()).toBe(0);
  });

  it('when the commit of an age flush fails, then the buffer stays and the next flush commits it without writing it again', async () => {
    const clock = manualClock('2026-11-27T03:00:00Z');
    const { outbox, record } = setup(clock);
    const inner = createMemoryLake();
    let puts = 0;
    const lake: Lake = { ...inner, put: async (key, body) => void (puts++, await inner.put(key, body)) };
    let failing = true;
    const sink = startSink(outbox, lake, clock, 1000, 60_000, (consumer) => ({
      ...consumer,
      commit: async (position) => {
        if (failing) throw new Error('database is locked');
        await consumer.commit(position);
      },
    }));
    await sink.start();
    record('View_detail_log', 5);
    await until('the sink has buffered the events', () => sink.buffered() === 5);
    clock.advance(60_000);
    await sink.flushOld();
    expect([puts, sink.buffered(), outbox.committed('sink', 'View_detail_log')]).toEqual([1, 5, 0]);
    failing = false;
    await sink.flushOld();
    expect([puts, sink.buffered(), outbox.committed('sink', 'View_detail_log')]).toEqual([1, 0, 5]);
    await sink.stop();
    expect(await readTopicEvents(inner, 'View_detail_log', { keepDuplicates: true })).toHaveLength(5);
  });

  it('when the consumer has lost the partition, then the commit failure drops the buffers for the new owner', async () => {
    const { outbox, record, clock } = setup();
    const lake = createMemoryLake();
    record('Search_log', 15);
    let owner = true;
    const sink = startSink(outbox, lake, clock, 10, 3_600_000, (consumer) => ({
      ...consumer,
      writable: () => owner,
      commit: async () => {
        owner = false;
        throw new Error('partition reassigned');
      },
    }));
    await sink.start();
    await until('the first file is written', async () => (await listEventFiles(lake)).length === 1);
    await until('the buffers are dropped', () => sink.buffered() === 0);
    await sink.abandon();
    expect(sink.eventsWritten).toBe(0);
    expect(outbox.committed('sink', 'Search_log')).toBe(0);
  });
});

describe('several producers writing into one lake', () => {
  it('when two outboxes with the same offsets and clock sink into one lake, then their files have disjoint keys and every event lands', async () => {
    const lake = createMemoryLake();
    const producers = [setup(), setup()];
    const recorded: string[] = [];
    const keysBySink: string[][] = [];
    for (const { outbox, record, clock } of producers) {
      record('Search_log', 25);
      record('View_detail_log', 5);
      recorded.push(...outboxIds(outbox));
      const keys: string[] = [];
      keysBySink.push(keys);
      const sink = startSink(outbox, { ...lake, put: async (key, body) => void (keys.push(key), await lake.put(key, body)) }, clock, 10);
      await sink.start();
      await sink.stop();
    }
    expect(producers[0]!.outbox.logId).not.toBe(producers[1]!.outbox.logId);
    expect(keysBySink[0]).toHaveLength(4);
    expect(keysBySink[1]!.filter((k) => keysBySink[0]!.includes(k))).toEqual([]);
    const ids = (await readAllEvents(lake, { keepDuplicates: true })).map((e) => e.event_id);
    expect(ids).toHaveLength(60);
    expect(new Set(ids)).toEqual(new Set(recorded));
  });

  it('when the bus names no log (Kafka), then its files say kafka where an outbox puts its log id', async () => {
    const { outbox, record, clock } = setup();
    const lake = createMemoryLake();
    record('Search_log', 3);
    const sink = startSink(outbox, lake, clock, 10, 3_600_000, ({ source: _, ...consumer }) => consumer);
    await sink.start();
    await sink.stop();
    expect((await listEventFiles(lake)).map((o) => o.key)).toEqual([
      eventFileKey({ topic: 'Search_log', partition: 0, firstOffset: 1, firstTimestamp: '2026-11-27T12:00:00.000+09:00', source: 'kafka' }),
    ]);
  });
});
