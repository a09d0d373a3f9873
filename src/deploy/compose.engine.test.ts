import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../bench/harness.js';
import { createS3Lake } from '../pipeline/lake/s3-lake.js';
import { PASSWORD, signupBody } from '../test-support/accounts.js';
import { TEST_SECRETS } from '../test-support/compose.js';
import { copyLake, docker, dockerAsync, dockerOk, engineAvailable, IMAGE, searchedKeywords } from '../test-support/engine.js';
import { until } from '../test-support/until.js';
import { metricTotal } from '../test-support/prometheus.js';

const hasEngine = engineAvailable();

const PROJECT = 'ticketmoa-engine';
const UA = 'ticketmoa-compose-engine-test';
/** s3rver, the test's S3 server, knows this one key; it stands for both the admin and the lake key. */
const S3_KEY = 'S3RVER';

describe.skipIf(!hasEngine)('compose.yaml brought up on a Docker engine (deploy/compose.engine-test.yaml replaces what cannot exist here)', () => {
  let scratch: string;
  let envFile: string;
  let base: string;
  let s3Port: number;
  let tlsPort: number;
  const files = ['-f', 'compose.yaml', '-f', 'deploy/compose.engine-test.yaml'];
  const withTls = ['-f', 'compose.yaml', '-f', 'compose.tls.yaml', '-f', 'deploy/compose.engine-test.yaml'];

  const compose = (args: string[], composeFiles = files) =>
    dockerOk(['compose', '-p', PROJECT, '--env-file', envFile, ...composeFiles, ...args], { timeoutMs: 900_000 });
  const composeAsync = async (args: string[], composeFiles = files) => {
    const run = await dockerAsync(['compose', '-p', PROJECT, '--env-file', envFile, ...composeFiles, ...args]);
    if (run.status !== 0) throw new Error(`docker compose ${args.join(' ')} failed:\n${run.stderr.slice(-4000)}`);
    return run.stdout;
  };
  /** `node -e <script>` inside a running service: its metrics port is not published. */
  const metricsOf = (service: string) =>
    compose([
      'exec',
      '-T',
      service,
      'node',
      '-e',
      "fetch('http://127.0.0.1:9464/metrics').then((r) => r.text()).then((t) => process.stdout.write(t))",
    ]);

  const get = (url: string, headers: Record<string, string> = {}) => fetch(`${base}${url}`, { headers: { 'user-agent': UA, ...headers } });
  const post = (url: string, body: unknown) =>
    fetch(`${base}${url}`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': UA }, body: JSON.stringify(body) });
  const searchAll = async (keywords: string[]) => {
    for (const keyword of keywords) expect((await get(`/search?keyword=${encodeURIComponent(keyword)}`)).status).toBe(200);
  };

  /** The keywords of every Search_log event in the S3 lake, each event once (DuckDB reads copies). */
  const lakeKeywords = async (): Promise<string[]> => {
    const local = mkdtempSync(path.join(scratch, 'lake-'));
    const lake = createS3Lake({
      bucket: 'ticketmoa-lake',
      prefix: 'events',
      endpoint: `http://127.0.0.1:${s3Port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: S3_KEY, secretAccessKey: S3_KEY },
    });
    try {
      if ((await copyLake(lake, 'logs/Search_log/', local)) === 0) return [];
      return await searchedKeywords(path.join(local, '*.parquet'), UA);
    } finally {
      lake.close();
      rmSync(local, { recursive: true, force: true });
    }
  };
  /** Waits until each of `keywords` is in the lake exactly once. */
  const untilInLake = async (keywords: string[]) => {
    let found: string[] = [];
    await until(
      `${keywords.length} searches reach the lake`,
      async () => {
        found = await lakeKeywords();
        return keywords.every((k) => found.includes(k));
      },
      90_000,
      1000,
    );
    for (const keyword of keywords)
      expect(
        found.filter((k) => k === keyword),
        keyword,
      ).toHaveLength(1);
  };

  const services = () =>
    compose(['ps', '--all', '--format', 'json'])
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { Service: string; State: string; Health: string; ExitCode: number });

  beforeAll(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'ticketmoa-compose-'));
    envFile = path.join(scratch, '.env');
    const apiPort = await freePort();
    s3Port = await freePort();
    tlsPort = await freePort();
    base = `http://127.0.0.1:${apiPort}`;
    const tls = path.join(scratch, 'tls');
    mkdirSync(tls);
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        '-keyout',
        path.join(tls, 'privkey.pem'),
        '-out',
        path.join(tls, 'fullchain.pem'),
      ],
      { stdio: 'ignore' },
    );
    const env = {
      ...TEST_SECRETS,
      S3_ADMIN_ACCESS_KEY: S3_KEY,
      S3_ADMIN_SECRET_KEY: S3_KEY,
      LAKE_ACCESS_KEY: S3_KEY,
      LAKE_SECRET_KEY: S3_KEY,
      PUBLIC_URL: base,
      API_BIND: '127.0.0.1',
      API_PORT: String(apiPort),
      S3_PORT: String(s3Port),
      TLS_PORT: String(tlsPort),
      TLS_CERT_DIR: tls,
      // the image the engine tier's setup built: compose builds the same layers again from cache
      TICKETMOA_VERSION: IMAGE.split(':')[1] ?? 'ci',
      // a catalogue to search, as a newcomer trying the stack would have
      TICKETMOA_DEMO: '1',
    };
    writeFileSync(
      envFile,
      Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n') + '\n',
    );
    docker(['compose', '-p', PROJECT, '--env-file', envFile, ...files, 'down', '-v', '--remove-orphans']);
    const started = performance.now();
    compose(['build']);
    process.stderr.write(`  docker compose build: ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    await composeAsync(['up', '-d', '--wait']);
  }, 900_000);

  afterAll(() => {
    if (!envFile) return;
    docker(['compose', '-p', PROJECT, '--env-file', envFile, ...withTls, 'down', '-v', '--remove-orphans']);
    rmSync(scratch, { recursive: true, force: true });
  }, 120_000);

  it('when brought up, then every service is healthy and the bucket job has succeeded', () => {
    const state = Object.fromEntries(services().map((s) => [s.Service, s]));
    expect(Object.keys(state).sort()).toEqual(['api-1', 'api-2', 'postgres', 'proxy', 's3', 's3-init', 'schedule']);
    for (const name of ['api-1', 'api-2', 'postgres', 'proxy', 's3', 'schedule'])
      expect(state[name], name).toMatchObject({ State: 'running', Health: 'healthy' });
    expect(state['s3-init']).toMatchObject({ State: 'exited', ExitCode: 0 });
  });

  it('when reached through the proxy, then readiness, search, signup and login answer, /metrics does not, and grant-admin makes an admin', async () => {
    expect(await (await get('/readyz')).json()).toMatchObject({ status: 'ready' });
    const found = (await (await get('/search?keyword=%EB%AE%A4%EC%A7%80%EC%BB%AC')).json()) as { id: string; poster_url: string }[];
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.poster_url.startsWith(`${base}/posters/`)).toBe(true);
    expect((await post('/signup/signup', signupBody({ id: 'composeuser1' }))).status).toBe(200);
    const login = await post('/auth/login', { id: 'composeuser1', password: PASSWORD });
    expect(login.status).toBe(200);
    expect(await login.json()).toMatchObject({ token_type: 'bearer', user_type: '0' });
    expect((await get('/metrics')).status).toBe(404);
    // the first admin, as README "Deploy" makes one: the CLI in the schedule's container
    expect(compose(['exec', '-T', 'schedule', 'node', 'bin/ticketmoa.js', 'grant-admin', 'composeuser1'])).toContain('composeuser1 is now an admin');
    const admin = await post('/auth/login', { id: 'composeuser1', password: PASSWORD });
    expect(await admin.json()).toMatchObject({ user_type: '1' });
  });

  it('when many requests come in, then the proxy spreads them over both API instances and gzips JSON (the whole demo catalogue, once)', async () => {
    const served = () => ['api-1', 'api-2'].map((s) => metricTotal(metricsOf(s), 'ticketmoa_http_request_duration_seconds_count', 'route="/banner"'));
    const before = served();
    for (let i = 0; i < 40; i++) await (await get('/banner')).arrayBuffer();
    const after = served();
    const share = after.map((n, i) => n - before[i]!);
    expect(share[0]! + share[1]!).toBe(40);
    // nginx takes the addresses in a random rotation: each instance gets about half
    for (const n of share) expect(n).toBeGreaterThanOrEqual(5);
    const big = await fetch(`${base}/search`, { headers: { 'accept-encoding': 'gzip' } });
    expect(big.headers.get('content-encoding')).toBe('gzip');
    // both instances found the database empty and loaded the demo: one catalogue, no run twice
    const all = (await big.json()) as { id: string }[];
    expect(all).toHaveLength(500);
    expect(new Set(all.map((r) => r.id)).size).toBe(500);
  });

  it('when searches are answered, then their events reach the S3 lake, where DuckDB reads each once', async () => {
    const keywords = Array.from({ length: 20 }, (_, i) => `컴포즈-레이크-${i}`);
    await searchAll(keywords);
    await untilInLake(keywords);
  }, 120_000);

  it('when a run is viewed, then the schedule service counts the views in the lake and /popular ranks it', async () => {
    const popular = async () => ((await (await get('/popular')).json()) as { id: string }[]).map((r) => r.id);
    const before = await popular();
    // a run the demo's synthetic view log does not already rank (150 views beat its ~40 a run)
    const target = ((await (await get('/banner')).json()) as { id: string }[]).map((r) => r.id).find((id) => !before.includes(id))!;
    for (let i = 0; i < 150; i++) expect((await get(`/detail/${target}`)).status).toBe(200);
    await until('the schedule has counted the views', async () => (await popular()).includes(target), 120_000, 2000);
    expect(metricTotal(metricsOf('schedule'), 'ticketmoa_job_runs_total', 'job="popular"')).toBeGreaterThan(0);
    expect(metricTotal(metricsOf('schedule'), 'ticketmoa_job_runs_total', 'status="failed"')).toBe(0);
  }, 180_000);

  it('when the stack is stopped and started, then no acknowledged event is lost', async () => {
    const keywords = Array.from({ length: 20 }, (_, i) => `컴포즈-정지-${i}`);
    await searchAll(keywords);
    await composeAsync(['stop']);
    for (const s of services()) expect(s.State, s.Service).toBe('exited');
    await composeAsync(['start']);
    await composeAsync(['up', '-d', '--wait']);
    await untilInLake(keywords);
  }, 300_000);

  it('when the lake is down, then events wait in each instance’s volume through down and up (without -v), and arrive after', async () => {
    await composeAsync(['stop', 's3']);
    const keywords = Array.from({ length: 20 }, (_, i) => `컴포즈-볼륨-${i}`);
    await searchAll(keywords);
    await composeAsync(['down']);
    expect(services()).toEqual([]);
    await composeAsync(['up', '-d', '--wait']);
    await untilInLake(keywords);
    // the accounts are in PostgreSQL's named volume
    expect((await post('/auth/login', { id: 'composeuser1', password: PASSWORD })).status).toBe(200);
  }, 300_000);

  it('when compose.tls.yaml is added, then the proxy serves HTTPS with the given certificate and plain HTTP redirects to it', async () => {
    await composeAsync(['up', '-d', '--wait', 'proxy'], withTls);
    const ca = readFileSync(path.join(scratch, 'tls/fullchain.pem'));
    const answer = await new Promise<{ status: number; body: string; hsts: string | undefined }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', servername: 'localhost', port: tlsPort, path: '/readyz', ca, headers: { host: 'localhost' } },
        (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, hsts: res.headers['strict-transport-security'] }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'ready' });
    expect(answer.hsts).toMatch(/max-age=\d+/);
    const plain = await fetch(`${base}/readyz?x=1`, { redirect: 'manual' });
    expect(plain.status).toBe(308);
    expect(plain.headers.get('location')).toBe('https://127.0.0.1/readyz?x=1');
  }, 180_000);
});
