import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Lake } from '../pipeline/index.js';
import { openDuckDb, sqlString } from './duckdb.js';
import { REPO_ROOT } from './server-process.js';
import { until } from './until.js';

/** The image under test: what `scripts/engine.sh build` (the engine tier's global setup) built. */
export const IMAGE = process.env.TICKETMOA_IMAGE ?? 'ticketmoa:ci';

const inCi = process.env.CI === 'true';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `docker <args>` (or `docker compose …`), with the test runner's environment plus `env`. */
export function docker(args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Run {
  const run = spawnSync('docker', args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: run.status, stdout: run.stdout ?? '', stderr: run.stderr ?? run.error?.message ?? '' };
}

/** `docker <args>` that must succeed: its standard output, trimmed. */
export function dockerOk(args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): string {
  const run = docker(args, options);
  if (run.status !== 0) throw new Error(`docker ${args.join(' ')} failed (${run.status}):\n${run.stderr.slice(-3000)}`);
  return run.stdout.trim();
}

/** The same, without blocking the test's event loop (servers of the test itself keep answering). */
export function dockerAsync(args: string[], options: { env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('docker', args, { cwd: REPO_ROOT, env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * Whether a Docker engine answers. None: the engine tests skip with this message locally and
 * fail in CI (CI=true), where `.ci/run` starts one (`scripts/engine.sh start`).
 */
export function engineAvailable(): boolean {
  const up = spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0;
  if (!up && inCi) throw new Error('a Docker engine is required in CI: scripts/engine.sh start (as root) starts it');
  if (!up) process.stderr.write('\n  skipping engine tests: no Docker engine answers (as root: scripts/engine.sh start)\n\n');
  return up;
}

/** A container of the test, removed with its anonymous volumes by `remove()`. */
export interface Container {
  readonly name: string;
  /** `docker inspect -f <format>`. */
  inspect(format: string): string;
  exec(command: string[], user?: string): Run;
  logs(): string;
  /** `docker stop`: the exit code and how long the stop took. */
  stop(): Promise<{ exitCode: number; ms: number }>;
  remove(): void;
}

export interface ContainerOptions {
  name: string;
  args?: string[];
  env?: Record<string, string>;
  /** `host` joins this machine's network: the test's own peers on 127.0.0.1 are reachable. */
  network?: string;
  /** Host port → container port, published on 127.0.0.1. */
  publish?: Record<number, number>;
  image?: string;
}

export function runContainer(options: ContainerOptions): Container {
  const name = options.name;
  docker(['rm', '-f', '-v', name]);
  const flags = ['run', '-d', '--name', name];
  if (options.network) flags.push('--network', options.network);
  for (const [host, port] of Object.entries(options.publish ?? {})) flags.push('-p', `127.0.0.1:${host}:${port}`);
  for (const [key, value] of Object.entries(options.env ?? {})) flags.push('-e', `${key}=${value}`);
  dockerOk([...flags, options.image ?? IMAGE, ...(options.args ?? [])]);
  return {
    name,
    inspect: (format) => dockerOk(['inspect', '-f', format, name]),
    exec: (command, user) => docker(['exec', ...(user ? ['-u', user] : []), name, ...command]),
    logs: () => {
      const run = docker(['logs', name]);
      return run.stdout + run.stderr;
    },
    async stop() {
      const started = performance.now();
      const run = await dockerAsync(['stop', name]);
      if (run.status !== 0) throw new Error(`docker stop ${name} failed: ${run.stderr}`);
      return { exitCode: Number(dockerOk(['inspect', '-f', '{{.State.ExitCode}}', name])), ms: performance.now() - started };
    },
    remove: () => void docker(['rm', '-f', '-v', name]),
  };
}

/** Waits until a container's HEALTHCHECK says `healthy` (fails at once on `unhealthy` or an exit). */
export async function untilHealthy(container: Container, timeoutMs = 120_000): Promise<void> {
  await until(
    `${container.name} is healthy`,
    () => {
      const [status, health] = container.inspect('{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}').split(' ');
      if (status !== 'running' || health === 'unhealthy') {
        throw new Error(`${container.name} is ${status}/${health}:\n${container.logs().slice(-3000)}`);
      }
      return health === 'healthy';
    },
    timeoutMs,
    500,
  );
}

/** Copies every lake object under `prefix` into `dir` (for DuckDB, which cannot read S3 here); returns how many. */
export async function copyLake(lake: Lake, prefix: string, dir: string): Promise<number> {
  const objects = await lake.list(prefix);
  for (const [i, { key }] of objects.entries()) {
    const body = await lake.get(key);
    if (body) writeFileSync(path.join(dir, `${i}-${path.basename(key)}`), body);
  }
  return objects.length;
}

/**
 * The keywords of the Search_log events a client (`device`, its User-Agent) made, read by DuckDB
 * from the Parquet files `glob` names: each event once (by `event_id`), sorted.
 */
export async function searchedKeywords(glob: string, device: string): Promise<string[]> {
  const duck = await openDuckDb();
  try {
    const rows = await duck.all(
      `SELECT keyword FROM (SELECT DISTINCT event_id, keyword, device FROM read_parquet(${sqlString(glob)})) WHERE device = ${sqlString(device)} ORDER BY keyword`,
    );
    return rows.map((r) => String(r.keyword));
  } finally {
    duck.close();
  }
}
