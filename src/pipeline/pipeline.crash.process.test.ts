import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kcatAvailable, startTestKafka, type TestKafka } from '../test-support/kafka.js';
import { buildDist, startTicketmoa, type TicketmoaProcess } from '../test-support/process.js';
import { startSearchTraffic } from '../test-support/traffic.js';
import { until } from '../test-support/until.js';
import { listEventFiles, readAllEvents } from './lake/lake-reader.js';
import { createLocalLake } from './lake/local-lake.js';
import { openOutbox } from './outbox/outbox.js';

const hasKcat = kcatAvailable();
let dataDir: string;
beforeAll(() => {
  buildDist();
  dataDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-crash-'));
}, 120_000);
afterAll(() => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Every event in the local lake, once per copy. */
const lakeEvents = (lakeDir: string) => readAllEvents(createLocalLake(lakeDir), { keepDuplicates: true });

/** What every process of a Kafka test gets: an empty catalogue, a free port, the test cluster. */
const kafkaProcessEnv = (kafka: TestKafka) => ({
  TICKETMOA_DEMO: '0',
  HOST: '127.0.0.1',
  PORT: '0',
  EVENT_BUS: 'kafka',
  KAFKA_BROKERS: kafka.brokers.join(','),
  KAFKA_SESSION_TIMEOUT_MS: '3000',
});

const fileCount = async (lakeDir: string) => (await listEventFiles(createLocalLake(lakeDir))).length;

function outboxRows(file: string): number {
  const outbox = openOutbox(file);
  try {
    return outbox.size();
  } finally {
    outbox.close();
  }
}

describe('the event log through kill -9 of the API and the sink (embedded bus, local lake)', () => {
  it('when both are killed mid-stream, then every acknowledged event is in the lake exactly once', async () => {
    const lakeDir = path.join(dataDir, 'lake');
    const env = { TICKETMOA_DATA_DIR: dataDir, TICKETMOA_DEMO: '0', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0' };
    const sinkEnv = { ...env, LOG_FLUSH_MAX_EVENTS: '50' };
    const api = startTicketmoa(['serve'], { ...env, TICKETMOA_SINK: 'off' });
    const [, url] = await api.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
    const traffic = startSearchTraffic(() => url!);
    let sink: TicketmoaProcess | undefined;
    try {
      sink = startTicketmoa(['sink'], sinkEnv);
      await until('the first sink has written files', async () => (await fileCount(lakeDir)) >= 4);
      sink.proc.kill('SIGKILL');
      await sink.exited;

      const before = await fileCount(lakeDir);
      sink = startTicketmoa(['sink'], sinkEnv);
      await until('the second sink has written more files', async () => (await fileCount(lakeDir)) >= before + 4);
      sink.proc.kill('SIGTERM');
      expect(await sink.exited).toBe(0);

      const acknowledgedBefore = traffic.acknowledged.size;
      await until('more requests are answered', () => traffic.acknowledged.size >= acknowledgedBefore + 200);
      api.proc.kill('SIGKILL');
      await api.exited;
    } finally {
      await traffic.stop();
      api.proc.kill('SIGKILL');
      sink?.proc.kill('SIGKILL');
    }

    sink = startTicketmoa(['sink'], { ...sinkEnv, LOG_FLUSH_MAX_AGE_MS: '100' });
    await until('the outbox is drained into the lake', () => outboxRows(path.join(dataDir, 'outbox.db')) === 0);
    sink.proc.kill('SIGTERM');
    expect(await sink.exited).toBe(0);

    const events = await lakeEvents(lakeDir);
    const keywords = events.map((e) => String(e.keyword));
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    expect(new Set(keywords).size).toBe(keywords.length);
    const missing = [...traffic.acknowledged].filter((k) => !keywords.includes(k));
    expect(missing).toEqual([]);
    expect(traffic.acknowledged.size).toBeGreaterThan(300);
    expect(events.every((e) => e.topic === 'Search_log' && e.device === 'crash-test')).toBe(true);
  }, 120_000);

  it('when serve runs the sink and gets SIGTERM, then it writes the buffered events and exits cleanly', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-serve-'));
    try {
      const api = startTicketmoa(['serve'], { TICKETMOA_DATA_DIR: dir, TICKETMOA_DEMO: '0', HOST: '127.0.0.1', PORT: '0' });
      const [, url] = await api.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
      for (let i = 0; i < 7; i++) expect((await fetch(`${url}/search?keyword=term-${i}`)).status).toBe(200);
      expect(await fileCount(path.join(dir, 'lake'))).toBe(0);
      api.proc.kill('SIGTERM');
      expect(await api.exited).toBe(0);
      const keywords = (await lakeEvents(path.join(dir, 'lake'))).map((e) => e.keyword).sort();
      expect(keywords).toEqual(Array.from({ length: 7 }, (_, i) => `term-${i}`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('one sink per data directory (embedded bus)', () => {
  it('when a second sink starts on a data directory with a running sink, then it exits naming the first and the way out', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-two-sinks-'));
    const env = { TICKETMOA_DATA_DIR: dir, TICKETMOA_DEMO: '0', LOG_LEVEL: 'info' };
    const first = startTicketmoa(['sink'], env);
    try {
      await first.waitFor(/sink is running/);
      const second = startTicketmoa(['sink'], env);
      expect(await second.exited).toBe(1);
      expect(second.output()).toContain(`another sink (pid ${first.proc.pid} on `);
      expect(second.output()).toContain('run "ticketmoa serve" with TICKETMOA_SINK=off, or stop the other sink');
      first.proc.kill('SIGTERM');
      expect(await first.exited).toBe(0);
    } finally {
      first.proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe.skipIf(!hasKcat)('the event log through kill -9 of the API and the sink (Kafka bus, local lake)', () => {
  it('when both are killed mid-stream, then every acknowledged event is in the lake, once per event id', async () => {
    const kafka = await startTestKafka();
    const apiDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-kafka-api-'));
    const sinkDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-kafka-sink-'));
    const lakeDir = path.join(sinkDir, 'lake');
    const common = {
      ...kafkaProcessEnv(kafka),
      LAKE_URL: pathToFileURL(lakeDir).href,
      LOG_FLUSH_MAX_EVENTS: '50',
    };
    const apiEnv = { ...common, TICKETMOA_DATA_DIR: apiDir, TICKETMOA_SINK: 'off' };
    const sinkEnv = { ...common, TICKETMOA_DATA_DIR: sinkDir };
    let api = startTicketmoa(['serve'], apiEnv);
    let sink: TicketmoaProcess | undefined;
    const [, url] = await api.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
    // A steady trickle: the mock broker keeps only a bounded log, so the volume stays modest.
    const traffic = startSearchTraffic(() => url!, 2, 5);
    try {
      sink = startTicketmoa(['sink'], sinkEnv);
      await until('the first sink has written files', async () => (await fileCount(lakeDir)) >= 4, 60_000);
      sink.proc.kill('SIGKILL');
      await sink.exited;

      const before = await fileCount(lakeDir);
      sink = startTicketmoa(['sink'], sinkEnv);
      await until('the second sink has written more files', async () => (await fileCount(lakeDir)) >= before + 4, 60_000).catch((err) => {
        process.stderr.write(`output of the second sink:\n${sink!.output().slice(-6000)}\n`);
        throw err;
      });
      api.proc.kill('SIGKILL');
      await api.exited;
      await traffic.stop();
      sink.proc.kill('SIGTERM');
      expect(await sink.exited).toBe(0);

      // The API's outbox still holds what Kafka had not acknowledged: a restart ships it.
      api = startTicketmoa(['serve'], apiEnv);
      await until('the restarted API has emptied its outbox', () => outboxRows(path.join(apiDir, 'outbox.db')) === 0, 60_000);
      api.proc.kill('SIGTERM');
      expect(await api.exited).toBe(0);

      sink = startTicketmoa(['sink'], { ...sinkEnv, LOG_FLUSH_MAX_AGE_MS: '200' });
      await until(
        'every acknowledged event is in the lake',
        async () => {
          const seen = new Set((await lakeEvents(lakeDir)).map((e) => String(e.keyword)));
          return [...traffic.acknowledged].every((k) => seen.has(k));
        },
        60_000,
      );
      sink.proc.kill('SIGTERM');
      expect(await sink.exited).toBe(0);
    } finally {
      await traffic.stop();
      api.proc.kill('SIGKILL');
      sink?.proc.kill('SIGKILL');
      await kafka.close();
    }

    const events = await lakeEvents(lakeDir);
    const idsByKeyword = new Map<string, Set<string>>();
    for (const e of events) {
      const ids = idsByKeyword.get(String(e.keyword)) ?? new Set();
      ids.add(e.event_id);
      idsByKeyword.set(String(e.keyword), ids);
    }
    expect([...traffic.acknowledged].filter((k) => !idsByKeyword.has(k))).toEqual([]);
    expect([...idsByKeyword.values()].every((ids) => ids.size === 1)).toBe(true);
    expect(traffic.acknowledged.size).toBeGreaterThan(200);
    rmSync(apiDir, { recursive: true, force: true });
    rmSync(sinkDir, { recursive: true, force: true });
  }, 150_000);
});

describe.skipIf(!hasKcat)('a graceful stop of serve on the Kafka bus', () => {
  it('when serve gets SIGTERM right after a burst of requests, then its outbox is forwarded before it exits', async () => {
    const kafka = await startTestKafka();
    const apiDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-drain-api-'));
    const sinkDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-drain-sink-'));
    const lakeDir = path.join(sinkDir, 'lake');
    const common = kafkaProcessEnv(kafka);
    const api = startTicketmoa(['serve'], { ...common, TICKETMOA_DATA_DIR: apiDir, TICKETMOA_SINK: 'off' });
    let sink: TicketmoaProcess | undefined;
    try {
      const [, url] = await api.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
      await fetch(`${url}/search?keyword=warm-up`);
      await until('the forwarder has shipped the first event', () => outboxRows(path.join(apiDir, 'outbox.db')) === 0, 30_000);
      // A frozen broker holds the burst in the outbox: the stop has to forward all of it.
      kafka.freeze();
      const keywords = Array.from({ length: 300 }, (_, i) => `drain-${i}`);
      for (let i = 0; i < keywords.length; i += 50) {
        const statuses = await Promise.all(keywords.slice(i, i + 50).map(async (k) => (await fetch(`${url}/search?keyword=${k}`)).status));
        expect(statuses.every((s) => s === 200)).toBe(true);
      }
      expect(outboxRows(path.join(apiDir, 'outbox.db'))).toBe(300);
      kafka.thaw();
      api.proc.kill('SIGTERM');
      expect(await api.exited).toBe(0);
      expect(outboxRows(path.join(apiDir, 'outbox.db'))).toBe(0);

      sink = startTicketmoa(['sink'], { ...common, TICKETMOA_DATA_DIR: sinkDir, LAKE_URL: pathToFileURL(lakeDir).href, LOG_FLUSH_MAX_AGE_MS: '200' });
      await until(
        'every answered search is in the lake',
        async () => {
          const seen = new Set((await lakeEvents(lakeDir)).map((e) => String(e.keyword)));
          return keywords.every((k) => seen.has(k));
        },
        60_000,
      );
      sink.proc.kill('SIGTERM');
      expect(await sink.exited).toBe(0);
    } finally {
      api.proc.kill('SIGKILL');
      sink?.proc.kill('SIGKILL');
      await kafka.close();
      rmSync(apiDir, { recursive: true, force: true });
      rmSync(sinkDir, { recursive: true, force: true });
    }
  }, 120_000);
});
