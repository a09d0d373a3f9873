import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../bench/harness.js';
import { type Container, copyLake, dockerOk, engineAvailable, IMAGE, runContainer, searchedKeywords, untilHealthy } from '../test-support/engine.js';
import { kcatAvailable, startTestKafka, type TestKafka } from '../test-support/kafka.js';
import { postgresTestDatabase } from '../test-support/postgres.js';
import { startTestS3, type TestS3 } from '../test-support/s3.js';
import { until } from '../test-support/until.js';
import { metricTotal } from '../test-support/prometheus.js';

const hasEngine = engineAvailable();
const hasKcat = kcatAvailable();
const postgres = await postgresTestDatabase();

const JWT_SECRET = 'engine-test-jwt-secret-0123456789abcdefghij';
const UA = 'ticketmoa-engine-test';
/** Distinct keywords, so each acknowledged search can be found in the lake by what it searched. */
const keywords = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

const search = async (base: string, keyword: string) => {
  const res = await fetch(`${base}/search?keyword=${encodeURIComponent(keyword)}`, { headers: { 'user-agent': UA } });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
};

describe.skipIf(!hasEngine)(`the image (${IMAGE}) on a Docker engine`, () => {
  describe('`serve` with its defaults (SQLite, embedded bus, local lake in /data)', () => {
    let port: number;
    let serve: Container;
    let base: string;
    let scratch: string;

    beforeAll(async () => {
      port = await freePort();
      base = `http://127.0.0.1:${port}`;
      scratch = mkdtempSync(path.join(tmpdir(), 'ticketmoa-engine-'));
      // NODE_ENV=production (the image's): a JWT secret is the one setting it cannot start without.
      serve = runContainer({ name: 'ticketmoa-engine-serve', env: { JWT_SECRET, PUBLIC_URL: base }, publish: { [port]: 8000 } });
      await until('serve answers /readyz', async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200, 90_000, 250);
    }, 120_000);
    afterAll(() => {
      serve?.remove();
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    });

    it('when it has started, then /readyz, the lists, the posters they name and /admin with its bundle answer', async () => {
      expect(await (await fetch(`${base}/readyz`)).json()).toMatchObject({ status: 'ready' });
      const banner = (await (await fetch(`${base}/banner`)).json()) as { id: string; poster_url: string }[];
      expect(banner).toHaveLength(11);
      const weekend = (await (await fetch(`${base}/this_weekend`)).json()) as { poster_url: string }[];
      expect(weekend.length).toBeGreaterThan(0);
      for (const run of [...banner.slice(0, 3), ...weekend.slice(0, 3)]) {
        expect(run.poster_url.startsWith(`${base}/posters/`), run.poster_url).toBe(true);
        const poster = await fetch(run.poster_url);
        expect(poster.status).toBe(200);
        expect(poster.headers.get('content-type')).toContain('image/svg+xml');
        expect(await poster.text()).toMatch(/^<svg[^>]+width="300" height="420"/);
      }
      const page = await fetch(`${base}/admin`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('관리자 대시보드');
      for (const asset of html.match(/\/admin\/assets\/[\w.-]+/g) ?? []) {
        const res = await fetch(`${base}${asset}`);
        expect(res.status, asset).toBe(200);
        expect((await res.arrayBuffer()).byteLength, asset).toBeGreaterThan(500);
      }
      expect(html).toContain('/admin/assets/dashboard.js');
    });

    it('when it runs, then every process is the unprivileged user node (uid 1000), not root', () => {
      expect(serve.inspect('{{.Config.User}}')).toBe('node');
      expect(serve.exec(['id', '-u']).stdout.trim()).toBe('1000');
      // tini (PID 1), node and the job children: every process of the container
      const owners = dockerOk(['top', serve.name, '-o', 'pid,uid,comm']).split('\n').slice(1);
      expect(owners.length).toBeGreaterThanOrEqual(2);
      for (const line of owners) expect(line.trim().split(/\s+/)[1], line).toBe('1000');
    });

    it('when its HEALTHCHECK has run, then the engine reports it healthy', async () => {
      await untilHealthy(serve);
      expect(serve.inspect('{{.State.Health.Status}}')).toBe('healthy');
    }, 120_000);

    it('when it is stopped with docker stop, then it exits 0 and every acknowledged event is in the lake', async () => {
      const sent = keywords('이미지-정지', 40);
      for (const keyword of sent) await search(base, keyword);
      const { exitCode, ms } = await serve.stop();
      expect(exitCode).toBe(0);
      expect(ms).toBeLessThan(10_000); // inside Docker's grace period: stopped, not killed
      // The lake lives in the container's /data volume; docker cp reads it from the stopped container.
      dockerOk(['cp', `${serve.name}:/data/lake`, scratch]);
      expect(await searchedKeywords(path.join(scratch, 'lake/logs/Search_log/*.parquet'), UA)).toEqual([...sent].sort());
    }, 60_000);
  });

  describe.skipIf(!hasKcat || !postgres)('`serve`, `sink` and `schedule` on Kafka, S3 and PostgreSQL', () => {
    let kafka: TestKafka;
    let s3: TestS3;
    const containers: Container[] = [];
    let api: Container;
    let sink: Container;
    let schedule: Container;
    let base: string;
    const metricsPorts: Record<string, number> = {};

    /** Host networking: the containers reach this machine's kcat mock, s3rver and PostgreSQL on 127.0.0.1. */
    const start = async (command: 'serve' | 'sink' | 'schedule', env: Record<string, string>) => {
      metricsPorts[command] = await freePort();
      const container = runContainer({
        name: `ticketmoa-engine-${command}`,
        network: 'host',
        args: [command],
        env: {
          JWT_SECRET,
          HOST: '127.0.0.1',
          DATABASE_URL: postgres!.url,
          EVENT_BUS: 'kafka',
          KAFKA_BROKERS: kafka.brokers.join(','),
          ...s3.env('events'),
          METRICS_PORT: String(metricsPorts[command]),
          LOG_LEVEL: 'info',
          ...env,
        },
      });
      containers.push(container);
      return container;
    };
    const scrape = async (command: string) => (await fetch(`http://127.0.0.1:${metricsPorts[command]}/metrics`)).text();

    beforeAll(async () => {
      [kafka, s3] = await Promise.all([startTestKafka(1), startTestS3('lake')]);
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      api = await start('serve', {
        PORT: String(port),
        PUBLIC_URL: base,
        TICKETMOA_SINK: 'off',
        POPULAR_INTERVAL: 'off',
        RECOMMEND_INTERVAL: 'off',
      });
      await until('serve answers /readyz', async () => (await fetch(`${base}/readyz`).catch(() => undefined))?.status === 200, 90_000, 250);
      sink = await start('sink', { LOG_FLUSH_MAX_AGE_MS: '1000' });
      schedule = await start('schedule', { POPULAR_INTERVAL: '10s', RECOMMEND_INTERVAL: '24h' });
    }, 180_000);
    afterAll(async () => {
      for (const c of containers) c.remove();
      await Promise.all([kafka?.close(), s3?.close()]);
    });

    it('when they run, then the sink and the schedule report healthy on their metrics port', async () => {
      await Promise.all([untilHealthy(sink), untilHealthy(schedule)]);
      for (const command of ['sink', 'schedule']) {
        expect((await fetch(`http://127.0.0.1:${metricsPorts[command]}/healthz`)).status, command).toBe(200);
      }
    }, 150_000);

    it('when searches are answered, then their events go through Kafka and the sink to the S3 lake', async () => {
      const sent = keywords('이미지-카프카', 30);
      for (const keyword of sent) await search(base, keyword);
      await until(
        'the sink wrote the searches',
        async () => metricTotal(await scrape('sink'), 'ticketmoa_sink_events_written_total') >= sent.length,
        60_000,
        500,
      );
      const local = mkdtempSync(path.join(tmpdir(), 'ticketmoa-engine-s3-'));
      const lake = s3.lake('events');
      try {
        expect(await copyLake(lake, 'logs/Search_log/', local)).toBeGreaterThan(0);
        expect(await searchedKeywords(path.join(local, '*.parquet'), UA)).toEqual([...sent].sort());
      } finally {
        lake.close();
        rmSync(local, { recursive: true, force: true });
      }
    }, 90_000);

    it('when its interval comes, then the schedule runs the popular job in the image', async () => {
      await until(
        'the popular job ran',
        async () => metricTotal(await scrape('schedule'), 'ticketmoa_job_runs_total', 'job="popular"') >= 1,
        60_000,
        500,
      );
      expect(metricTotal(await scrape('schedule'), 'ticketmoa_job_runs_total', 'status="failed"')).toBe(0);
    }, 90_000);

    it('when each is stopped with docker stop, then each exits 0 within the grace period', async () => {
      for (const container of [api, schedule, sink]) {
        const { exitCode, ms } = await container.stop();
        expect(exitCode, `${container.name}:\n${container.logs().slice(-2000)}`).toBe(0);
        expect(ms, container.name).toBeLessThan(10_000);
        expect(container.logs(), container.name).not.toMatch(/"level":(50|60)/); // no error, no fatal
      }
    }, 60_000);
  });
});
