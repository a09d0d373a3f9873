import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseS3Url, createS3Lake } from '../pipeline/lake/s3-lake.js';
import { topicPrefix } from '../pipeline/lake/layout.js';
import { dockerComposeAvailable, environmentOf, resolvedCompose, type ComposeConfig } from '../test-support/compose.js';
import { openDuckDb, sqlString } from '../test-support/duckdb.js';
import { kcatAvailable, startTestKafka, type TestKafka } from '../test-support/kafka.js';
import { postgresTestDatabase } from '../test-support/postgres.js';
import { buildDist, startTicketmoa, type TicketmoaProcess } from '../test-support/process.js';
import { startTestS3, type TestS3 } from '../test-support/s3.js';
import { until } from '../test-support/until.js';
import { metricTotal } from '../test-support/prometheus.js';

const hasCompose = dockerComposeAvailable();
const hasKcat = kcatAvailable();
const postgres = await postgresTestDatabase();

const scrape = async (url: string) => {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
};

/** How many searches the test sends, spread over both API instances. */
const SEARCHES = 40;

describe.skipIf(!hasCompose || !hasKcat || !postgres)('the compose topology as local processes (api ×2, sink ×2)', () => {
  let compose: ComposeConfig;
  let kafka: TestKafka;
  let s3: TestS3;
  let scratch: string;
  const processes: TicketmoaProcess[] = [];

  /**
   * The environment compose gives `service`, with the image's own ENV (Dockerfile) beneath it and
   * each name of the compose network mapped to its local stand-in: postgres → the test database,
   * kafka-1..3 → a three-broker kcat mock cluster, s3 → s3rver (holding the bucket s3-init
   * makes; its one account stands in for the lake key), /data → a scratch directory
   * per process, and fixed ports → free ones.
   */
  const localEnv = (service: 'api-1' | 'api-2' | 'sink', instance: number): Record<string, string> => {
    const env = environmentOf(compose.services[service]!);
    const dataDir = path.join(scratch, `${service}-${instance}`);
    mkdirSync(dataDir);
    expect(new URL(env.DATABASE_URL!).host).toBe('postgres:5432');
    expect(env.KAFKA_BROKERS).toBe('kafka-1:9092,kafka-2:9092,kafka-3:9092');
    expect(env.S3_ENDPOINT).toBe('http://s3:8333');
    expect(env.TICKETMOA_DATA_DIR).toBe('/data');
    return {
      HOST: '127.0.0.1', // the image's ENV: HOST=0.0.0.0, PORT=8000
      PORT: '8000',
      ...env,
      DATABASE_URL: postgres!.url,
      KAFKA_BROKERS: kafka.brokers.join(','),
      S3_ENDPOINT: s3.endpoint,
      AWS_ACCESS_KEY_ID: s3.env('').AWS_ACCESS_KEY_ID!,
      AWS_SECRET_ACCESS_KEY: s3.env('').AWS_SECRET_ACCESS_KEY!,
      TICKETMOA_DATA_DIR: dataDir,
      ...(env.PORT === undefined ? {} : { PORT: '0' }),
      METRICS_PORT: '0',
      METRICS_HOST: '127.0.0.1',
    };
  };

  const start = async (service: 'api-1' | 'api-2' | 'sink', instance: number) => {
    const proc = startTicketmoa(compose.services[service]!.command!, localEnv(service, instance));
    processes.push(proc);
    const [, metricsUrl] = await proc.waitFor(/"metrics":"(http:\/\/127\.0\.0\.1:\d+)\/metrics"/, 60_000);
    const apiUrl = service === 'sink' ? undefined : (await proc.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/, 60_000))[1]!;
    return { ...proc, metricsUrl: metricsUrl!, apiUrl };
  };

  let apis: Awaited<ReturnType<typeof start>>[];
  let sinks: Awaited<ReturnType<typeof start>>[];

  beforeAll(async () => {
    buildDist();
    compose = resolvedCompose();
    scratch = mkdtempSync(path.join(tmpdir(), 'ticketmoa-compose-'));
    kafka = await startTestKafka(3);
    s3 = await startTestS3(parseS3Url(environmentOf(compose.services.sink!).LAKE_URL!).bucket);
    // Started together on one empty database, as `docker compose up` does: migrations take turns.
    apis = await Promise.all([start('api-1', 1), start('api-2', 2)]);
    sinks = await Promise.all([start('sink', 1), start('sink', 2)]);
  }, 180_000);

  afterAll(async () => {
    for (const p of processes) p.proc.kill('SIGKILL');
    await kafka?.close();
    await s3?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('when both API instances are up, then /readyz says ready and metrics answer on the metrics port only', async () => {
    for (const api of apis) {
      await until('the instance is ready', async () => (await fetch(`${api.apiUrl}/readyz`)).status === 200, 30_000);
      expect(await (await fetch(`${api.apiUrl}/readyz`)).json()).toEqual({ status: 'ready', startup: 'done', database: 'ok' });
      expect((await fetch(`${api.apiUrl}/metrics`)).status).toBe(404);
      const text = await scrape(api.metricsUrl);
      for (const metric of [
        'ticketmoa_outbox_backlog_events',
        'ticketmoa_events_forwarded_total',
        'nodejs_eventloop_lag_p99_seconds',
        'process_resident_memory_bytes',
      ]) {
        expect(text).toContain(`# TYPE ${metric} `);
      }
    }
    for (const sink of sinks) expect(await scrape(sink.metricsUrl)).toContain('# TYPE ticketmoa_sink_files_written_total counter');
  });

  it('when searches reach both instances, then every event flows through Kafka and both sinks into the S3 lake', async () => {
    const keywords = Array.from({ length: SEARCHES }, (_, i) => `compose-${i}`);
    await Promise.all(
      keywords.map(async (keyword, i) => {
        const res = await fetch(`${apis[i % 2]!.apiUrl}/search?keyword=${keyword}`);
        expect(res.status).toBe(200);
      }),
    );
    const metricsOf = (all: typeof apis) => Promise.all(all.map((p) => scrape(p.metricsUrl)));
    await until(
      'both outboxes are forwarded to Kafka',
      async () => (await metricsOf(apis)).every((text) => metricTotal(text, 'ticketmoa_outbox_backlog_events') === 0),
      60_000,
    );
    const forwarded = (await metricsOf(apis)).map((text) => metricTotal(text, 'ticketmoa_events_forwarded_total'));
    expect(forwarded).toEqual([SEARCHES / 2, SEARCHES / 2]);
    // The compose file flushes every 5 minutes: the sinks hold the events until then, or until a stop.
    let held: number[] = [];
    // A second member joining the group can hold partitions for up to the session timeout (30 s).
    await until(
      'the sinks hold every event',
      async () =>
        (held = (await metricsOf(sinks)).map((text) => metricTotal(text, 'ticketmoa_sink_buffered_events'))).reduce((a, b) => a + b) === SEARCHES,
      120_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}: they hold ${held.join(' + ')}\n${sinks.map((s) => s.output().slice(-3000)).join('\n---\n')}`);
    });
    const sinkMetrics = await metricsOf(sinks);
    expect(sinkMetrics.some((text) => text.includes('ticketmoa_sink_lag_messages{topic="Search_log"'))).toBe(true);
    for (const sink of sinks) sink.proc.kill('SIGTERM');
    expect(await Promise.all(sinks.map((s) => s.exited))).toEqual([0, 0]);
    for (const sink of sinks) expect(sink.output()).not.toMatch(/lake write failed|events left on the bus/);

    // DuckDB reads the files the sinks put in the bucket (its S3 extension is not here: copied out first).
    const sinkEnv = environmentOf(compose.services.sink!);
    const lake = createS3Lake({
      ...parseS3Url(sinkEnv.LAKE_URL!),
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: s3.env('').AWS_ACCESS_KEY_ID!, secretAccessKey: s3.env('').AWS_SECRET_ACCESS_KEY! },
    });
    const dir = path.join(scratch, 'lake');
    const objects = await lake.list(topicPrefix('Search_log'));
    expect(objects.length).toBeGreaterThanOrEqual(1);
    for (const object of objects) {
      const file = path.join(dir, object.key);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, (await lake.get(object.key))!);
    }
    lake.close();
    const duck = await openDuckDb();
    try {
      const rows = await duck.all(`SELECT DISTINCT keyword FROM read_parquet(${sqlString(path.join(dir, '**', '*.parquet'))}) ORDER BY keyword`);
      expect(rows.map((r) => r.keyword)).toEqual([...keywords].sort());
    } finally {
      duck.close();
    }

    for (const api of apis) api.proc.kill('SIGTERM');
    expect(await Promise.all(apis.map((a) => a.exited))).toEqual([0, 0]);
  }, 300_000);
});
