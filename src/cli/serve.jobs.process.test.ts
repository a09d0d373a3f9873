import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, runTicketmoa, type ServerProcess, startServerProcess } from '../test-support/server-process.js';
import { until } from '../test-support/until.js';
import { openSqlite } from '../db/sqlite/connection.js';

// Big enough that the recommendation build takes seconds: on the API's event loop it held
// single requests for hundreds of milliseconds.
const RUNS = 15_000;
const NOW = '2026-11-27T10:00:00+09:00';
const REQUESTS = 50;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('`ticketmoa serve` runs its scheduled jobs in a low-priority child process', () => {
  let dir: string;
  /** The same catalogue, for a second server whose build has never run. */
  let other: string;
  let server: ServerProcess | undefined;
  const env = (dataDir: string) => ({
    TICKETMOA_DATA_DIR: dataDir,
    TICKETMOA_NOW: NOW,
    TICKETMOA_DEMO: '0',
    TICKETMOA_SINK: 'off',
    JWT_SECRET: 'serve-jobs-test-secret-0123456789abcdef',
    LOG_LEVEL: 'info',
    POPULAR_INTERVAL: 'off',
    // Never run on these databases: due at the schedule's first check.
    RECOMMEND_INTERVAL: '24h',
  });
  const childOf = async (s: ServerProcess) => {
    let started: RegExpMatchArray | null = null;
    await until(
      'the build starts',
      () => (started = s.output().match(/"childPid":(\d+),"msg":"recommend job started in a child process"/)) !== null,
      30_000,
    );
    return Number(started![1]);
  };

  beforeAll(async () => {
    buildDist();
    dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-serve-jobs-'));
    const seeded = await runTicketmoa(['seed', '--count', String(RUNS)], { TICKETMOA_DATA_DIR: dir, TICKETMOA_NOW: NOW });
    expect(seeded.code, seeded.stderr).toBe(0);
    other = mkdtempSync(path.join(tmpdir(), 'ticketmoa-serve-jobs-'));
    cpSync(dir, other, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    for (const d of [dir, other]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('when the recommendation build is due, then the API answers quickly while it runs, and its results arrive', async () => {
    server = await startServerProcess(env(dir));
    const { url } = server;
    const output = server.output;
    const child = await childOf(server);
    const finished = () => /"msg":"recommend job ran"/.test(output());

    const latencies: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const began = performance.now();
      const res = await fetch(`${url}/banner`);
      await res.arrayBuffer();
      latencies.push(performance.now() - began);
      expect(res.status).toBe(200);
    }
    // The requests overlapped the build (it takes seconds; they take well under one).
    expect(finished(), 'the build finished before the requests did: seed more runs').toBe(false);
    expect(alive(child)).toBe(true);
    const sorted = [...latencies].sort((a, b) => a - b);
    // Generous for a loaded 2-core machine; the build on the event loop held requests for 50–600 ms each.
    expect(sorted[Math.floor(REQUESTS / 2)]).toBeLessThan(25);
    expect(sorted.at(-1)).toBeLessThan(250);

    await until('the build finishes', finished, 150_000);
    const line = output()
      .split('\n')
      .find((l) => l.includes('"msg":"recommend job ran"'))!;
    const logged = JSON.parse(line) as { ms: number; summary: { withRecommendations: number } };
    expect(logged.summary.withRecommendations).toBeGreaterThan(0);
    // A real duration, although TICKETMOA_NOW stops the clock.
    expect(logged.ms).toBeGreaterThan(0);
    await until('the job process has exited', () => !alive(child), 10_000);

    const banner = (await (await fetch(`${url}/banner`)).json()) as { id: string }[];
    const lists = await Promise.all(banner.map(async (r) => (await (await fetch(`${url}/recommendation/${r.id}`)).json()) as unknown[]));
    expect(lists.some((l) => l.length > 0)).toBe(true);
  }, 240_000);

  it('when serve is stopped during a build, then it stops the job process, which frees the lease, before it exits', async () => {
    const stopped = await startServerProcess(env(other));
    const child = await childOf(stopped);
    // Into the build: the child has loaded the runs and holds the lease.
    await sleep(2000);
    const began = performance.now();
    await stopped.stop();
    // Within the grace before the test helper's SIGKILL: serve waited for its child and exited.
    expect(performance.now() - began).toBeLessThan(5000);
    expect(stopped.output()).not.toContain('"msg":"recommend job ran"');
    expect(stopped.output()).not.toContain('job process did not stop');
    expect(alive(child)).toBe(false);
    const db = openSqlite(path.join(other, 'ticketmoa.db'));
    try {
      const lease = db.prepare('SELECT holder, last_finished_at FROM job_leases WHERE job = ?').get('recommend') as
        { holder: string | null; last_finished_at: number | null } | undefined;
      // Freed (or, had the stop come before the child took it, never taken), and not counted as finished.
      expect(lease?.holder ?? null).toBeNull();
      expect(lease?.last_finished_at ?? null).toBeNull();
    } finally {
      db.close();
    }
  }, 120_000);
});

describe('`ticketmoa serve` runs the popular job in a child process too', () => {
  let dir: string;
  const servers: ServerProcess[] = [];
  const env = (extra: Record<string, string>) => ({
    TICKETMOA_DATA_DIR: dir,
    TICKETMOA_NOW: NOW,
    TICKETMOA_DEMO: '0',
    JWT_SECRET: 'serve-jobs-test-secret-0123456789abcdef',
    LOG_LEVEL: 'info',
    RECOMMEND_INTERVAL: 'off',
    ...extra,
  });

  beforeAll(async () => {
    buildDist();
    dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-serve-popular-'));
    const seeded = await runTicketmoa(['seed', '--count', '300'], { TICKETMOA_DATA_DIR: dir, TICKETMOA_NOW: NOW });
    expect(seeded.code, seeded.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => {
    for (const s of servers) await s.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('when views reached the lake and the popular job is due, then a child process counts them and /popular ranks them', async () => {
    // Views through the real API and the embedded sink (a file every 6 events)
    const viewing = await startServerProcess(env({ POPULAR_INTERVAL: 'off', LOG_FLUSH_MAX_EVENTS: '6' }));
    servers.push(viewing);
    const banner = (await (await fetch(`${viewing.url}/banner`)).json()) as { id: string }[];
    const [most, second, third] = banner.map((r) => r.id);
    for (const [id, times] of [
      [most, 3],
      [second, 2],
      [third, 1],
    ] as const) {
      for (let i = 0; i < times; i++) expect((await fetch(`${viewing.url}/detail/${id}`)).status).toBe(200);
    }
    await viewing.stop();
    const views = path.join(dir, 'lake', 'logs', 'View_detail_log');
    expect(existsSync(views) && readdirSync(views).length).toBeGreaterThan(0);

    // Due at once: this database has never run it
    const counting = await startServerProcess(env({ POPULAR_INTERVAL: '1h', TICKETMOA_SINK: 'off' }));
    servers.push(counting);
    let started: RegExpMatchArray | null = null;
    await until(
      'the popular job starts',
      () => (started = counting.output().match(/"pid":(\d+),[^\n]*"childPid":(\d+),"msg":"popular job started in a child process"/)) !== null,
      30_000,
    );
    expect(Number(started![2])).not.toBe(Number(started![1]));
    await until('the popular job ran', () => /"msg":"popular job ran"/.test(counting.output()), 60_000);
    const popular = (await (await fetch(`${counting.url}/popular`)).json()) as { id: string }[];
    expect(popular.slice(0, 3).map((r) => r.id)).toEqual([most, second, third]);
  }, 180_000);
});
