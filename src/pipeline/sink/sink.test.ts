import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock, type Clock } from '../../platform/clock.js';
import { createIdGenerator } from '../../platform/ids.js';
import { until } from '../../test-support/until.js';
import { createEmbeddedBus } from '../event-bus/embedded-bus.js';
import type { Topic } from '../events.js';
import type { Lake } from '../lake/lake.js';
import { createMemoryLake } from '../lake/memory-lake.js';
import { openOutbox, type Outbox } from '../outbox/outbox.js';
import { silentLog } from '../pipeline-log.js';
import { createOutboxRecorder } from '../recorder.js';
import { readEventsParquet } from './parquet.js';
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
      } else {
        recorder.record(topic, 'view_detail', { user_id: 'anonymous', device: 'test' }, { ticket_id: `t${i}`, title: '공연', category: '연극' });
      }
    }
    recorder.flush();
  };
  return { dir, outbox, record, clock };
}

function startSink(outbox: Outbox, lake: Lake, clock: Clock, maxEvents = 1000, maxAgeMs = 3_600_000) {
  const bus = createEmbeddedBus(outbox, { pollMs: 10 });
  return new EventSink({ consumer: bus.consumer('sink'), lake, clock, log: silentLog }, { maxEvents, maxAgeMs, retryBaseMs: 5, retryMaxMs: 20 });
}

async function lakeEvents(lake: Lake, topic: Topic) {
  const out = [];
  for (const o of await lake.list(`logs/${topic}/`)) out.push(...(await readEventsParquet((await lake.get(o.key))!)));
  return out;
}

describe('the sink on the embedded bus', () => {
  it('when a topic reaches the size limit, then a full file is written and the rest waits for shutdown', async () => {
    const { outbox, record, clock } = setup();
    const lake = createMemoryLake();
    record('Search_log', 2500);
    record('View_detail_log', 3);
    const sink = startSink(outbox, lake, clock);
    await sink.start();
    await until('two full files are written', async () => (await lake.list('logs/Search_log/')).length === 2);
    expect(await lake.list('logs/View_detail_log/')).toEqual([]);
    await sink.stop();

    const searches = await lakeEvents(lake, 'Search_log');
    expect(searches).toHaveLength(2500);
    expect(new Set(searches.map((e) => e.event_id)).size).toBe(2500);
    expect(searches.map((e) => e.keyword)).toEqual(Array.from({ length: 2500 }, (_, i) => `k${i}`));
    expect(await lakeEvents(lake, 'View_detail_log')).toHaveLength(3);
    expect(outbox.size()).toBe(0);
  });

  it('when the clock is frozen, then every file still gets its own name', async () => {
    const { outbox, record, clock } = setup();
    const lake = createMemoryLake();
    record('Search_log', 35);
    const sink = startSink(outbox, lake, clock, 10);
    await sink.start();
    await sink.stop();
    const keys = (await lake.list('logs/Search_log/')).map((o) => o.key);
    expect(keys).toEqual([
      'logs/Search_log/20261127T120000.000-p0-o000000000001.parquet',
      'logs/Search_log/20261127T120000.000-p0-o000000000011.parquet',
      'logs/Search_log/20261127T120000.000-p0-o000000000021.parquet',
      'logs/Search_log/20261127T120000.000-p0-o000000000031.parquet',
    ]);
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
    expect(await lake.list('logs/')).toEqual([]);
    clock.advance(1_000);
    await sink.flushOld();
    expect((await lake.list('logs/View_detail_log/')).length).toBe(1);
    expect(await lakeEvents(lake, 'View_detail_log')).toHaveLength(5);
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
    await until('the full files are written', async () => (await inner.list('logs/')).length === 4);
    await sink.stop();
    const events = await lakeEvents(inner, 'Search_log');
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
    const events = await lakeEvents(lake, 'Search_log');
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
