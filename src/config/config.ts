import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Validated, frozen configuration. Only this module (and platform/) reads process.env. */
export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** undefined → SQLite file `<dataDir>/ticketmoa.db`. */
  readonly databaseUrl: string | undefined;
  /** Freezes the clock for the whole process (TICKETMOA_NOW). */
  readonly now: Date | undefined;
  /** Load a demo catalogue into an empty database on `serve`. */
  readonly demo: boolean;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly corsOrigins: readonly string[];
  readonly pipeline: PipelineConfig;
}

/** The user-action event log: recording, bus, lake and sink (product.md §3). */
export interface PipelineConfig {
  /** TICKETMOA_EVENTS: record events at all. */
  readonly events: boolean;
  /** TICKETMOA_SINK: run the sink inside `serve`. */
  readonly sinkInServe: boolean;
  readonly bus: 'embedded' | 'kafka';
  readonly kafkaBrokers: readonly string[];
  readonly kafkaClientId: string;
  readonly kafkaGroupId: string;
  /** How long a silent sink keeps its partitions before the group hands them to another. */
  readonly kafkaSessionTimeoutMs: number;
  /** `file:///abs/path` or `s3://bucket/prefix`. */
  readonly lakeUrl: string;
  readonly s3Endpoint: string | undefined;
  readonly s3Region: string;
  readonly s3ForcePathStyle: boolean;
  readonly flushMaxEvents: number;
  readonly flushMaxAgeMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

/** Reads typed values from the environment, collecting every problem before failing. */
export class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if (!/^-?\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${v}")`);
      return fallback;
    }
    return Number(v);
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.raw(name)?.toLowerCase();
    if (v === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    this.problems.push(`${name} must be one of 1/0, true/false, yes/no, on/off (got "${v}")`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(v)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${v}")`);
      return fallback;
    }
    return v as T;
  }

  instant(name: string): Date | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
    const ms = Date.parse(v);
    if (!iso.test(v) || Number.isNaN(ms)) {
      this.problems.push(`${name} must be an ISO 8601 instant such as 2026-11-27T12:00:00+09:00 (got "${v}")`);
      return undefined;
    }
    return new Date(ms);
  }

  list(name: string, fallback: readonly string[]): string[] {
    const v = this.raw(name);
    if (v === undefined) return [...fallback];
    return v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  }

  url(name: string, protocols: readonly string[]): string | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (!protocols.includes(u.protocol)) throw new Error('protocol');
      return v;
    } catch {
      this.problems.push(`${name} must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      return undefined;
    }
  }
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const r = new EnvReader(env);
  const nodeEnv = r.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const config: Config = {
    nodeEnv,
    port: r.int('PORT', 8000, 0, 65535),
    host: r.string('HOST', '0.0.0.0'),
    dataDir: path.resolve(cwd, r.string('TICKETMOA_DATA_DIR', './data')),
    databaseUrl: r.url('DATABASE_URL', ['postgres:', 'postgresql:', 'sqlite:', 'file:']),
    now: r.instant('TICKETMOA_NOW'),
    demo: r.bool('TICKETMOA_DEMO', true),
    logLevel: r.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    corsOrigins: r.list('CORS_ORIGINS', ['http://localhost:3000', 'http://127.0.0.1:3000']),
    pipeline: readPipelineConfig(r, path.resolve(cwd, r.string('TICKETMOA_DATA_DIR', './data'))),
  };
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return Object.freeze(config);
}

function readPipelineConfig(r: EnvReader, dataDir: string): PipelineConfig {
  const bus = r.oneOf('EVENT_BUS', ['embedded', 'kafka'] as const, 'embedded');
  const kafkaBrokers = r.list('KAFKA_BROKERS', []);
  if (bus === 'kafka' && kafkaBrokers.length === 0) {
    r.problems.push('KAFKA_BROKERS must list the Kafka brokers (host:port,...) when EVENT_BUS=kafka');
  }
  const lakeUrl = r.url('LAKE_URL', ['file:', 's3:']) ?? pathToFileURL(path.join(dataDir, 'lake')).href;
  if (lakeUrl.startsWith('s3:') && new URL(lakeUrl).hostname === '') {
    r.problems.push('LAKE_URL must name a bucket: s3://bucket/prefix');
  }
  return Object.freeze({
    events: r.bool('TICKETMOA_EVENTS', true),
    sinkInServe: r.bool('TICKETMOA_SINK', true),
    bus,
    kafkaBrokers: Object.freeze(kafkaBrokers),
    kafkaClientId: r.string('KAFKA_CLIENT_ID', 'ticketmoa'),
    kafkaGroupId: r.string('KAFKA_GROUP_ID', 'ticketmoa-sink'),
    kafkaSessionTimeoutMs: r.int('KAFKA_SESSION_TIMEOUT_MS', 30_000, 1000, 300_000),
    lakeUrl,
    s3Endpoint: r.url('S3_ENDPOINT', ['http:', 'https:']),
    s3Region: r.string('S3_REGION', r.raw('AWS_REGION') ?? 'us-east-1'),
    s3ForcePathStyle: r.bool('S3_FORCE_PATH_STYLE', false),
    flushMaxEvents: r.int('LOG_FLUSH_MAX_EVENTS', 1000, 1, 1_000_000),
    flushMaxAgeMs: r.int('LOG_FLUSH_MAX_AGE_MS', 3_600_000, 100, 7 * 24 * 3_600_000),
  });
}

/** Loads `.env` from the working directory into process.env, without overriding set values. */
export function loadDotEnv(cwd = process.cwd()): void {
  const file = path.join(cwd, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}
