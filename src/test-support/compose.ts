import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './server-process.js';

export const COMPOSE_FILE = path.join(REPO_ROOT, 'compose.yaml');
export const ENV_EXAMPLE = path.join(REPO_ROOT, '.env.example');

/** Values for the settings .env.example leaves empty (compose refuses to run without them). */
export const TEST_SECRETS = {
  PUBLIC_URL: 'https://tickets.example.com',
  POSTGRES_PASSWORD: 'pg-test-password-0123456789',
  JWT_SECRET: 'compose-test-jwt-secret-0123456789abcdef',
  KAFKA_CLUSTER_ID: 'MkU3OEVBNTcwNTJENDM2Qk',
  KAFKA_UI_PASSWORD: 'kafka-ui-test-password',
  S3_ADMIN_SECRET_KEY: 's3-admin-test-secret-0123',
  LAKE_SECRET_KEY: 'lake-test-secret-key-0123',
};

/** A service as `docker-compose config` resolves it (the parts the tests read). */
export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | null>;
  ports?: unknown[];
  volumes?: unknown[];
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  healthcheck?: { test: string[] };
  restart?: string;
  networks?: string[] | Record<string, { aliases?: string[] } | null>;
  tmpfs?: string[];
  stop_grace_period?: string;
  user?: string;
}

export interface ComposeConfig {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/**
 * Debian's docker-compose (v1, Python) checks the file without a container engine. Missing, the
 * suites that need it skip locally and fail in CI (CI=true; `.ci/run` installs it).
 */
export function dockerComposeAvailable(): boolean {
  const found = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
  if (!found && process.env.CI === 'true') throw new Error('docker-compose is required in CI (apt-get install -y docker-compose)');
  if (!found) process.stderr.write('skipping compose tests: docker-compose is not installed (apt-get install -y docker-compose)\n');
  return found;
}

/**
 * Runs `docker-compose --env-file .env.example -f compose.yaml config <args>` with `env` on top
 * of a bare environment (nothing of the test runner's own leaks in).
 */
export function dockerCompose(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('docker-compose', ['--env-file', ENV_EXAMPLE, '-f', COMPOSE_FILE, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The compose file with .env.example and the test secrets filled in, as docker-compose resolves it. */
export function resolvedCompose(): ComposeConfig {
  const run = dockerCompose(['config'], TEST_SECRETS);
  if (run.status !== 0) throw new Error(`docker-compose config failed:\n${run.stderr}`);
  return parse(run.stdout) as ComposeConfig;
}

/** A service's environment as plain strings (compose writes empty values as '' or null). */
export function environmentOf(service: ComposeService): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, v ?? '']));
}
