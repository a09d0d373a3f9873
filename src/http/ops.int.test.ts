import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerOutboxMetrics } from '../composition/metrics.js';
import { createMetrics } from '../platform/metrics.js';
import { startTestService, type TestService } from '../test-support/app.js';
import { postgresTestDatabase } from '../test-support/postgres.js';
import { makeRun } from '../test-support/runs.js';
import { startMetricsServer } from './metrics-server.js';

const postgres = await postgresTestDatabase();

/** One sample line of a Prometheus text exposition, or undefined. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /readyz', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService();
  });
  afterAll(() => svc?.close());

  it('when the process is still starting, then it answers 503 with what is missing', async () => {
    const res = await svc.app.inject('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'not_ready', startup: 'starting', database: 'ok' });
    expect((await svc.app.inject('/healthz')).statusCode).toBe(200); // liveness is another question
  });

  it('when start-up is done and the database answers, then it answers 200', async () => {
    svc.container.setStartup('done');
    const res = await svc.app.inject('/readyz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', startup: 'done', database: 'ok' });
  });

  it('when the process is stopping, then it answers 503 so the load balancer sends no more', async () => {
    svc.container.setStartup('stopping');
    expect((await svc.app.inject('/readyz')).json()).toMatchObject({ status: 'not_ready', startup: 'stopping' });
  });

  it('when the OpenAPI description is read, then /readyz and /metrics are in it', async () => {
    const paths = Object.keys((await svc.app.inject('/openapi.json')).json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/readyz', '/metrics']));
  });
});

describe.skipIf(!postgres)('GET /readyz on PostgreSQL', () => {
  let svc: TestService;
  let database: string;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: new URL('/test', postgres!.url).toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  beforeAll(async () => {
    svc = await startTestService({ DATABASE_URL: postgres!.url, DATABASE_CONNECT_TIMEOUT_MS: '1000' });
    svc.container.setStartup('done');
    database = new URL(postgres!.url).pathname.slice(1);
  });
  afterAll(async () => {
    await admin(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`).catch(() => {});
    await svc?.close();
  });

  it('when the database stops taking connections, then it answers 503 "unreachable", and 200 again once it is back', async () => {
    expect((await svc.app.inject('/readyz')).statusCode).toBe(200);
    await admin(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS false`);
    await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database}' AND pid <> pg_backend_pid()`);
    const down = await svc.app.inject('/readyz');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: 'not_ready', startup: 'done', database: 'unreachable' });

    await admin(`ALTER DATABASE "${database}" ALLOW_CONNECTIONS true`);
    expect((await svc.app.inject('/readyz')).statusCode).toBe(200);
  });
});

describe('GET /metrics on the API port (METRICS_PORT unset)', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService();
    registerOutboxMetrics(svc.container.metrics, svc.container.pipeline);
  });
  afterAll(() => svc?.close());

  it('when requests were answered, then they are counted by route pattern and status, never by raw URL', async () => {
    const run = makeRun({ title: '메트릭' });
    await svc.container.stores.performances.upsertMany([run]);
    await svc.container.catalog.refresh();
    await svc.app.inject(`/detail/${run._id}`);
    await svc.app.inject(`/detail/${makeRun()._id}`);
    await svc.app.inject('/no/such/path?secret=1');
    const res = await svc.app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(sample(text, 'ticketmoa_http_request_duration_seconds_count{method="GET",route="/detail/:id",status_code="200"}')).toBe(1);
    expect(sample(text, 'ticketmoa_http_request_duration_seconds_count{method="GET",route="/detail/:id",status_code="404"}')).toBe(1);
    expect(sample(text, 'ticketmoa_http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"}')).toBe(1);
    expect(text).not.toContain(run._id);
    expect(text).not.toContain('no/such/path');
  });

  it('when events wait in the outbox, then the scrape shows the backlog and the oldest one’s age', async () => {
    await svc.app.inject('/search?keyword=a');
    await svc.app.inject('/search?keyword=b');
    const text = (await svc.app.inject('/metrics')).body;
    expect(sample(text, 'ticketmoa_outbox_backlog_events')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'ticketmoa_outbox_oldest_event_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'ticketmoa_events_lost_total')).toBe(0);
  });
});

describe('metrics on a port of their own (METRICS_PORT set)', () => {
  it('when METRICS_PORT is set, then the API port has no /metrics and the metrics port answers /metrics and /healthz', async () => {
    const svc = await startTestService({ METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' });
    const server = await startMetricsServer(svc.container.metrics, { host: '127.0.0.1', port: 0 });
    try {
      await svc.app.inject('/healthz');
      expect((await svc.app.inject('/metrics')).statusCode).toBe(404);
      const res = await fetch(`${server.url}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('ticketmoa_http_request_duration_seconds_count{method="GET",route="/healthz",status_code="200"} 1');
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.url}/other`)).status).toBe(404);
      expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
      await svc.close();
    }
  });

  it('when METRICS_PORT=off, then no /metrics answers and requests are not observed', async () => {
    const svc = await startTestService({ METRICS_PORT: 'off' });
    try {
      await svc.app.inject('/healthz');
      expect((await svc.app.inject('/metrics')).statusCode).toBe(404);
      expect(await svc.container.metrics.render()).not.toContain('route="/healthz"');
    } finally {
      await svc.close();
    }
  });

  it('when process metrics are on, then event-loop delay and memory are in the scrape', async () => {
    const metrics = createMetrics();
    metrics.collectProcessMetrics();
    const text = await metrics.render();
    expect(text).toContain('nodejs_eventloop_lag_p99_seconds');
    expect(text).toContain('process_resident_memory_bytes');
  });
});

describe('GET /', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService();
  });
  afterAll(() => svc?.close());

  it('when a browser opens the root, then a small page links the API docs, the admin page and the health check', async () => {
    const res = await svc.app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    const links = [...res.body.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(links).toEqual(['/docs', '/openapi.json', '/admin', '/healthz']);
    for (const link of links) expect((await svc.app.inject(link!)).statusCode, link).not.toBe(404);
    expect(res.body).not.toContain('<script');
    expect((await svc.app.inject({ method: 'HEAD', url: '/' })).statusCode).toBe(200);
  });

  it('when the API description is read, then the page is not in it (it is no API)', async () => {
    const paths = Object.keys((await svc.app.inject('/openapi.json')).json().paths);
    expect(paths).not.toContain('/');
  });
});
