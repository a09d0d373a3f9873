import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
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
  /** Most connections one process opens to PostgreSQL (DATABASE_POOL_MAX). */
  readonly databasePoolMax: number;
  /** How long opening a PostgreSQL connection may take (DATABASE_CONNECT_TIMEOUT_MS). */
  readonly databaseConnectTimeoutMs: number;
  /** Longest a single PostgreSQL statement may run (DATABASE_STATEMENT_TIMEOUT_MS). */
  readonly databaseStatementTimeoutMs: number;
  /** Freezes the clock for the whole process (TICKETMOA_NOW). */
  readonly now: Date | undefined;
  /** Load a demo catalogue into an empty database on `serve`. */
  readonly demo: boolean;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** LOG_FORMAT: `auto` is readable text on a terminal and JSON lines otherwise. */
  readonly logFormat: 'auto' | 'json' | 'pretty';
  /** Where Prometheus metrics are served (METRICS_PORT, METRICS_HOST; docs/adr/0006). */
  readonly metrics: MetricsListener;
  readonly corsOrigins: readonly string[];
  /** How often `serve` runs the popular job (POPULAR_INTERVAL); 0 = never. */
  readonly popularIntervalMs: number;
  /** How often `serve` rebuilds recommendations (RECOMMEND_INTERVAL); 0 = never. */
  readonly recommendIntervalMs: number;
  /** How often `serve` and `schedule` compact the lake's closed days (COMPACT_INTERVAL); 0 = never. */
  readonly compactIntervalMs: number;
  /**
   * Crash tests only (TICKETMOA_COMPACT_CRASH_AT = merged | stored | deleting): compaction kills
   * its own process (SIGKILL) right after that step, as a crash would (docs/lake.md).
   */
  readonly compactCrashAt: string | undefined;
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (login limits are per
   * client): false (direct), a hop count (the proxies in front of us), addresses/CIDRs of the
   * proxies, or true (any: the left-most address, which the client writes; warned about at start).
   */
  readonly trustProxy: boolean | number | readonly string[];
  /** Where the frontend lives (Kakao login and logout end there). */
  readonly frontendUrl: string;
  /** This service's address as browsers reach it (PUBLIC_URL): served poster URLs are built on it. No trailing slash. */
  readonly publicUrl: string;
  readonly auth: AuthConfig;
  readonly kakao: KakaoConfig;
  readonly pipeline: PipelineConfig;
  readonly kopis: KopisConfig;
  readonly dashboard: DashboardConfig;
}

/** The admin dashboard's analytics over the lake (DuckDB). */
export interface DashboardConfig {
  /** Longest one dashboard query may run before it is interrupted (ADMIN_QUERY_TIMEOUT_MS). */
  readonly queryTimeoutMs: number;
  /** How long a computed figure is served again before the lake is read anew (ADMIN_CACHE_SECONDS); 0 = never. */
  readonly cacheMs: number;
  /** An s3:// lake is read from copies in this folder (`<data dir>/lake-cache`). */
  readonly lakeCacheDir: string;
  /** Most bytes those copies may take (ADMIN_LAKE_CACHE_MB); least recently used go first. */
  readonly lakeCacheBytes: number;
}

/** The KOPIS connector (docs/adr/0009-kopis-connector.md). */
export interface KopisConfig {
  /** KOPIS_SERVICE_KEY; undefined → no daily sync in `serve`, and `ticketmoa kopis` refuses to run. */
  readonly serviceKey: string | undefined;
  /** KOPIS_BASE_URL: `https://` unless `http://` is configured explicitly (the key travels in the query string). */
  readonly baseUrl: string;
  /** Most calls per second. */
  readonly ratePerSecond: number;
  /** Calls per KST day, all processes together. */
  readonly dailyCallBudget: number;
  readonly timeoutMs: number;
  readonly retries: number;
  /** First retry wait, doubled per attempt. */
  readonly backoffMs: number;
  /** Days from today a sync lists when no --to is given. */
  readonly syncDays: number;
  /** How often `serve` syncs (when a key is set); 0 = never. */
  readonly syncIntervalMs: number;
}

/**
 * `api`: `GET /metrics` on the API port (METRICS_PORT unset; development). `port`: a listener of
 * its own (serve, sink and schedule), and none on the API port. `off`: no metrics.
 */
export type MetricsListener = { readonly on: 'api' } | { readonly on: 'port'; readonly port: number; readonly host: string } | { readonly on: 'off' };

export const MIN_JWT_SECRET_LENGTH = 32;

export interface AuthConfig {
  /** HS256 key. undefined → outside production a random one kept in the data dir. */
  readonly jwtSecret: string | undefined;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  /**
   * How long after a rotation the refresh token it retired still gets the session's current pair
   * (a concurrent double refresh: two tabs, a retry) instead of ending the session; 0 = never.
   */
  readonly refreshReuseGraceSeconds: number;
  /** Longest a session lives from its login, however often it is refreshed. */
  readonly sessionAbsoluteLifetimeSeconds: number;
  /** Failed logins for one id from one client within the window before that pair gets 429. */
  readonly loginFailureLimit: number;
  /** Failed logins from one client, whatever the ids, within the window before that client gets 429. */
  readonly loginClientFailureLimit: number;
  /** Failed logins for one id from all clients within the window before logins to it get 429 (slows distributed guessing). */
  readonly loginIdFailureLimit: number;
  /** The window of the three failed-login counters. */
  readonly loginFailureWindowSeconds: number;
  /** Login/signup requests from one client within the window before it gets 429. */
  readonly clientBurstLimit: number;
  readonly clientBurstWindowSeconds: number;
  readonly argon2MemoryKib: number;
  readonly argon2TimeCost: number;
}

export interface KakaoConfig {
  /** undefined → the Kakao endpoints answer 503. */
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly redirectUri: string;
  readonly logoutRedirectUri: string;
  readonly authBaseUrl: string;
  readonly apiBaseUrl: string;
  readonly timeoutMs: number;
  /**
   * The browser-binding cookie of the login state is `__Host-ticketmoa_kakao_state` (Secure,
   * Path=/, no Domain: a sibling subdomain cannot plant it) in production or when PUBLIC_URL is
   * https; plain-http local development gets `ticketmoa_kakao_state` without Secure.
   */
  readonly secureCookie: boolean;
  /**
   * AES-256-GCM key for Kakao's tokens and the one-time tickets at rest (KAKAO_TOKEN_KEY, 32 bytes
   * as hex or base64). undefined → derived from the JWT secret.
   */
  readonly tokenKey: Uint8Array | undefined;
  /** How long the one-time ticket handed to the frontend after Kakao's callback can be redeemed. */
  readonly ticketTtlSeconds: number;
  /** `/kakao/callback` requests per client per window before 429 (each one may call Kakao). */
  readonly callbackLimit: number;
  readonly callbackWindowSeconds: number;
}

export const KAKAO_TOKEN_KEY_BYTES = 32;

/**
 * KAKAO_TOKEN_KEY: 32 bytes as 64 hex digits or base64/base64url. A value that decodes to
 * something else, or to bytes that are plainly not random (a placeholder such as all zeros),
 * is refused in every environment.
 */
export function parseKakaoTokenKey(value: string): Uint8Array | string {
  const bytes = /^[0-9a-fA-F]{64}$/.test(value)
    ? Buffer.from(value, 'hex')
    : /^[A-Za-z0-9+/_-]{43}={0,1}$/.test(value)
      ? Buffer.from(value, 'base64')
      : undefined;
  if (bytes?.length !== KAKAO_TOKEN_KEY_BYTES) {
    return `KAKAO_TOKEN_KEY must be ${KAKAO_TOKEN_KEY_BYTES} bytes as 64 hex digits or base64 (for example the output of \`openssl rand -base64 32\`)`;
  }
  if (new Set(bytes).size < 8) return 'KAKAO_TOKEN_KEY does not look random; generate one with `openssl rand -base64 32`';
  return new Uint8Array(bytes);
}

/** The user-action event log: recording, bus, lake and sink (docs/contract.md §3). */
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
  /** LOG_FLUSH_MAX_EVENTS: a buffer of this many events is written at once. */
  readonly flushMaxEvents: number;
  /**
   * LOG_FLUSH_MAX_AGE_MS for the sink inside `serve`: a buffer whose oldest event has waited this
   * long is written. Default `EMBEDDED_SERVE_FLUSH_MAX_AGE_MS` (seconds) on the embedded bus, so a
   * newcomer's own actions reach the dashboard at once; `DEFAULT_FLUSH_MAX_AGE_MS` (1 h) on Kafka.
   */
  readonly flushMaxAgeMs: number;
  /** LOG_FLUSH_MAX_AGE_MS for a separate `ticketmoa sink` process: default 1 h whatever the bus. */
  readonly sinkCommandFlushMaxAgeMs: number;
  /** Whether LOG_FLUSH_MAX_AGE_MS was set (it then wins over both defaults). */
  readonly flushMaxAgeSet: boolean;
  /** On a graceful stop, how long `serve` keeps forwarding its outbox to Kafka (OUTBOX_DRAIN_MS). */
  readonly outboxDrainMs: number;
  /** Rows the outbox may hold before new events are refused and counted as lost (OUTBOX_MAX_ROWS). */
  readonly outboxMaxRows: number;
  /** Most bytes of event payloads in one produce request (KAFKA_MAX_BATCH_BYTES). */
  readonly kafkaMaxBatchBytes: number;
  /** Partitions of each event topic the service creates (KAFKA_TOPIC_PARTITIONS). */
  readonly kafkaTopicPartitions: number;
  /** Replicas of each event topic; undefined → min(3, brokers in the cluster) (KAFKA_REPLICATION_FACTOR). */
  readonly kafkaReplicationFactor: number | undefined;
  /** S3 connection and whole-request timeouts (S3_CONNECT_TIMEOUT_MS, S3_REQUEST_TIMEOUT_MS). */
  readonly s3ConnectTimeoutMs: number;
  readonly s3RequestTimeoutMs: number;
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
    return v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  }

  /** `90s`, `15m`, `1h`, `24h`, `7d`, `500ms`; `0` or `off` → 0 (disabled). */
  duration(name: string, fallbackMs: number, minMs: number): number {
    const v = this.raw(name)?.toLowerCase();
    if (v === undefined) return fallbackMs;
    if (v === '0' || v === 'off') return 0;
    const m = /^(\d+)(ms|s|m|h|d)$/.exec(v);
    const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
    const ms = m ? Number(m[1]) * unit[m[2] as keyof typeof unit] : NaN;
    if (!Number.isSafeInteger(ms) || ms < minMs || ms > 365 * 86_400_000) {
      this.problems.push(`${name} must be a duration such as 30m, 1h or 24h (at least ${minMs / 1000}s), or 0/off (got "${v}")`);
      return fallbackMs;
    }
    return ms;
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
  const frontendUrl = (r.url('FRONTEND_URL', ['http:', 'https:']) ?? 'http://localhost:3000').replace(/\/+$/, '');
  const port = r.int('PORT', 8000, 0, 65535);
  const publicUrl = publicUrlOf(r, port);
  const config: Config = {
    nodeEnv,
    port,
    host: r.string('HOST', '0.0.0.0'),
    dataDir: path.resolve(cwd, r.string('TICKETMOA_DATA_DIR', './data')),
    databaseUrl: r.url('DATABASE_URL', ['postgres:', 'postgresql:', 'sqlite:', 'file:']),
    databasePoolMax: r.int('DATABASE_POOL_MAX', 10, 1, 1000),
    databaseConnectTimeoutMs: r.int('DATABASE_CONNECT_TIMEOUT_MS', 5000, 100, 600_000),
    databaseStatementTimeoutMs: r.int('DATABASE_STATEMENT_TIMEOUT_MS', 60_000, 100, 3_600_000),
    now: r.instant('TICKETMOA_NOW'),
    demo: r.bool('TICKETMOA_DEMO', true),
    logLevel: r.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    logFormat: r.oneOf('LOG_FORMAT', ['auto', 'json', 'pretty'] as const, 'auto'),
    metrics: metricsListenerOf(r),
    corsOrigins: r.list('CORS_ORIGINS', ['http://localhost:3000', 'http://127.0.0.1:3000']),
    trustProxy: trustProxyOf(r),
    frontendUrl,
    publicUrl,
    auth: authConfig(r, nodeEnv),
    kakao: kakaoConfig(r, nodeEnv, frontendUrl, publicUrl),
    popularIntervalMs: r.duration('POPULAR_INTERVAL', 3_600_000, 10_000),
    recommendIntervalMs: r.duration('RECOMMEND_INTERVAL', 86_400_000, 10_000),
    compactIntervalMs: r.duration('COMPACT_INTERVAL', 86_400_000, 10_000),
    compactCrashAt: r.oneOf('TICKETMOA_COMPACT_CRASH_AT', ['', 'merged', 'stored', 'deleting'], '') || undefined,
    pipeline: readPipelineConfig(r, path.resolve(cwd, r.string('TICKETMOA_DATA_DIR', './data'))),
    kopis: kopisConfig(r),
    dashboard: Object.freeze({
      queryTimeoutMs: r.int('ADMIN_QUERY_TIMEOUT_MS', 20_000, 100, 600_000),
      cacheMs: r.int('ADMIN_CACHE_SECONDS', 60, 0, 86_400) * 1000,
      lakeCacheDir: path.join(path.resolve(cwd, r.string('TICKETMOA_DATA_DIR', './data')), 'lake-cache'),
      lakeCacheBytes: r.int('ADMIN_LAKE_CACHE_MB', 1024, 16, 10_000_000) * 1024 * 1024,
    }),
  };
  if (nodeEnv === 'production' && config.now !== undefined) {
    // A frozen clock in production would keep tokens valid forever and stamp every event with one instant.
    r.problems.push('TICKETMOA_NOW freezes the clock for tests and demos and is refused with NODE_ENV=production: unset it');
  }
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return Object.freeze(config);
}

/** PUBLIC_URL: an http(s) origin, optionally with a path prefix (behind a proxy), without query or fragment. */
function publicUrlOf(r: EnvReader, port: number): string {
  const v = r.url('PUBLIC_URL', ['http:', 'https:']);
  if (v === undefined) return `http://localhost:${port}`;
  const u = new URL(v);
  if (u.search !== '' || u.hash !== '' || u.username !== '' || u.password !== '') {
    r.problems.push(
      'PUBLIC_URL must be the address browsers reach this service at, such as https://tickets.example.com, without query, fragment or credentials',
    );
  }
  return v.replace(/\/+$/, '');
}

function metricsListenerOf(r: EnvReader): MetricsListener {
  const v = r.raw('METRICS_PORT')?.toLowerCase();
  if (v === undefined) return { on: 'api' };
  if (v === 'off') return { on: 'off' };
  return { on: 'port', port: r.int('METRICS_PORT', 9464, 0, 65535), host: r.string('METRICS_HOST', r.string('HOST', '0.0.0.0')) };
}

/** Said at start when production metrics answer on the public API port. */
export function metricsWarning(config: Pick<Config, 'nodeEnv' | 'metrics'>): string | undefined {
  if (config.nodeEnv !== 'production' || config.metrics.on !== 'api') return undefined;
  return 'GET /metrics answers on the API port, to anyone who reaches it: set METRICS_PORT to serve metrics on a port of their own (or METRICS_PORT=off)';
}

// proxy-addr's names for ranges, accepted beside addresses and CIDRs
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function trustProxyOf(r: EnvReader): Config['trustProxy'] {
  const v = r.raw('TRUST_PROXY');
  if (v === undefined || /^(false|0|no|off)$/i.test(v)) return false;
  if (/^(true|yes|on)$/i.test(v)) return true;
  if (/^\d+$/.test(v)) return Number(v);
  const list = r.list('TRUST_PROXY', []);
  const bad = list.filter((entry) => !isProxyAddress(entry));
  if (bad.length > 0) {
    r.problems.push(
      `TRUST_PROXY must be false, a hop count (the number of proxies in front), or a comma-separated list of proxy addresses or CIDRs (got "${bad.join(', ')}")`,
    );
  }
  return list;
}

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.includes(entry)) return true;
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

export const DEFAULT_KOPIS_BASE_URL = 'https://kopis.or.kr/openApi/restful';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Said at start when the KOPIS key would travel over plain http to another machine. */
export function kopisWarning(kopis: Pick<KopisConfig, 'serviceKey' | 'baseUrl'>): string | undefined {
  if (kopis.serviceKey === undefined) return undefined;
  const url = new URL(kopis.baseUrl);
  if (url.protocol !== 'http:' || LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return `KOPIS_BASE_URL is plain http (${url.origin}): the KOPIS service key travels unencrypted in every request's query string; use https://`;
}

/** Said at start when TRUST_PROXY believes what any client writes. */
export function trustProxyWarning(trustProxy: Config['trustProxy']): string | undefined {
  if (trustProxy !== true) return undefined;
  return (
    'TRUST_PROXY=true believes the left-most X-Forwarded-For address, which the client writes: anyone can pick the address ' +
    'the per-client login limits count. Set TRUST_PROXY to the number of proxies in front of the service (e.g. 1) or to their addresses/CIDRs.'
  );
}

function authConfig(r: EnvReader, nodeEnv: Config['nodeEnv']): AuthConfig {
  const jwtSecret = r.raw('JWT_SECRET');
  if (nodeEnv === 'production' && (jwtSecret === undefined || jwtSecret.length < MIN_JWT_SECRET_LENGTH)) {
    r.problems.push(
      `JWT_SECRET must be set to at least ${MIN_JWT_SECRET_LENGTH} characters in production ` +
        '(for example the output of `openssl rand -base64 48`)',
    );
  }
  const loginFailureLimit = r.int('LOGIN_FAILURE_LIMIT', 5, 1, 1000);
  const loginIdFailureLimit = r.int('LOGIN_ID_FAILURE_LIMIT', 100, 1, 100_000);
  if (loginIdFailureLimit < loginFailureLimit) {
    r.problems.push(`LOGIN_ID_FAILURE_LIMIT (${loginIdFailureLimit}) must be at least LOGIN_FAILURE_LIMIT (${loginFailureLimit})`);
  }
  return {
    jwtSecret,
    accessTokenTtlSeconds: r.int('ACCESS_TOKEN_TTL_SECONDS', 30 * 60, 60, 24 * 60 * 60),
    refreshTokenTtlSeconds: r.int('REFRESH_TOKEN_TTL_SECONDS', 24 * 60 * 60, 60, 90 * 24 * 60 * 60),
    refreshReuseGraceSeconds: r.int('REFRESH_REUSE_GRACE_SECONDS', 10, 0, 300),
    sessionAbsoluteLifetimeSeconds: r.int('SESSION_ABSOLUTE_LIFETIME_SECONDS', 30 * 24 * 60 * 60, 60, 365 * 24 * 60 * 60),
    loginFailureLimit,
    loginClientFailureLimit: r.int('LOGIN_CLIENT_FAILURE_LIMIT', 50, 1, 100_000),
    loginIdFailureLimit,
    loginFailureWindowSeconds: r.int('LOGIN_FAILURE_WINDOW_SECONDS', 15 * 60, 1, 24 * 60 * 60),
    clientBurstLimit: r.int('AUTH_BURST_LIMIT', 30, 1, 100_000),
    clientBurstWindowSeconds: r.int('AUTH_BURST_WINDOW_SECONDS', 60, 1, 24 * 60 * 60),
    argon2MemoryKib: r.int('ARGON2_MEMORY_KIB', 19_456, 8_192, 1_048_576),
    argon2TimeCost: r.int('ARGON2_TIME_COST', 2, 1, 20),
  };
}

function kakaoConfig(r: EnvReader, nodeEnv: Config['nodeEnv'], frontendUrl: string, publicUrl: string): KakaoConfig {
  const base = (name: string, fallback: string) => (r.url(name, ['http:', 'https:']) ?? fallback).replace(/\/+$/, '');
  return {
    clientId: r.raw('KAKAO_CLIENT_ID'),
    clientSecret: r.raw('KAKAO_CLIENT_SECRET'),
    // Default: this service's own callback where browsers reach it (PUBLIC_URL, else localhost:PORT).
    redirectUri: r.url('KAKAO_REDIRECT_URI', ['http:', 'https:']) ?? `${publicUrl}/kakao/callback`,
    logoutRedirectUri: r.url('KAKAO_LOGOUT_REDIRECT_URI', ['http:', 'https:']) ?? `${frontendUrl}/callbackLogout`,
    authBaseUrl: base('KAKAO_AUTH_BASE_URL', 'https://kauth.kakao.com'),
    apiBaseUrl: base('KAKAO_API_BASE_URL', 'https://kapi.kakao.com'),
    timeoutMs: r.int('KAKAO_TIMEOUT_MS', 5000, 100, 60_000),
    // Browsers keep a Secure (and so a __Host-) cookie only from an https page: plain-http local
    // development gets the unprefixed cookie without Secure (ADR 12).
    secureCookie: nodeEnv === 'production' || publicUrl.startsWith('https:'),
    tokenKey: kakaoTokenKeyOf(r),
    ticketTtlSeconds: r.int('KAKAO_TICKET_TTL_SECONDS', 60, 5, 600),
    callbackLimit: r.int('KAKAO_CALLBACK_LIMIT', 20, 1, 100_000),
    callbackWindowSeconds: r.int('KAKAO_CALLBACK_WINDOW_SECONDS', 60, 1, 24 * 60 * 60),
  };
}

function kakaoTokenKeyOf(r: EnvReader): Uint8Array | undefined {
  const v = r.raw('KAKAO_TOKEN_KEY');
  if (v === undefined) return undefined;
  const key = parseKakaoTokenKey(v);
  if (typeof key === 'string') {
    r.problems.push(key);
    return undefined;
  }
  return key;
}

/** The seed's flush age: a separate sink, and any sink on Kafka, writes at most one file per hour and topic when quiet. */
export const DEFAULT_FLUSH_MAX_AGE_MS = 3_600_000;
/**
 * The flush age of the sink inside `serve` on the embedded bus (the `npm start` default): a
 * newcomer sees their sign-up, logins and searches on the dashboard within seconds. The price is
 * more, smaller files: at most one per topic every 5 s while events keep coming (docs/lake.md).
 */
export const EMBEDDED_SERVE_FLUSH_MAX_AGE_MS = 5000;

/**
 * A production `serve` that writes the lake on the embedded 5 s default (no LOG_FLUSH_MAX_AGE_MS):
 * fine for a first look, but a busy server then writes a small file per topic every few seconds.
 */
export function flushAgeNotice(config: Pick<Config, 'nodeEnv' | 'pipeline'>): string | undefined {
  const p = config.pipeline;
  if (config.nodeEnv !== 'production' || p.bus !== 'embedded' || !p.sinkInServe || p.flushMaxAgeSet) return undefined;
  return (
    `the sink writes the lake ${p.flushMaxAgeMs / 1000} s after an event arrives (the embedded default, so the dashboard shows actions at once): ` +
    'a busy server writes many small files; set LOG_FLUSH_MAX_AGE_MS (3600000 = 1 h) to choose'
  );
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
  // set explicitly, it wins for every sink; else each sink gets the default of its topology
  const explicitFlushAge =
    r.raw('LOG_FLUSH_MAX_AGE_MS') === undefined ? undefined : r.int('LOG_FLUSH_MAX_AGE_MS', DEFAULT_FLUSH_MAX_AGE_MS, 100, 7 * 24 * 3_600_000);
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
    flushMaxAgeMs: explicitFlushAge ?? (bus === 'embedded' ? EMBEDDED_SERVE_FLUSH_MAX_AGE_MS : DEFAULT_FLUSH_MAX_AGE_MS),
    sinkCommandFlushMaxAgeMs: explicitFlushAge ?? DEFAULT_FLUSH_MAX_AGE_MS,
    flushMaxAgeSet: explicitFlushAge !== undefined,
    outboxDrainMs: r.int('OUTBOX_DRAIN_MS', 10_000, 0, 600_000),
    outboxMaxRows: r.int('OUTBOX_MAX_ROWS', 2_000_000, 1000, 1_000_000_000),
    // Kafka's default message.max.bytes is 1 MiB; record framing and keys need room beside payloads.
    kafkaMaxBatchBytes: r.int('KAFKA_MAX_BATCH_BYTES', 512 * 1024, 1024, 100 * 1024 * 1024),
    kafkaTopicPartitions: r.int('KAFKA_TOPIC_PARTITIONS', 3, 1, 10_000),
    kafkaReplicationFactor: r.raw('KAFKA_REPLICATION_FACTOR') === undefined ? undefined : r.int('KAFKA_REPLICATION_FACTOR', 1, 1, 32),
    s3ConnectTimeoutMs: r.int('S3_CONNECT_TIMEOUT_MS', 3000, 100, 600_000),
    s3RequestTimeoutMs: r.int('S3_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
  });
}

function kopisConfig(r: EnvReader): KopisConfig {
  return Object.freeze({
    serviceKey: r.raw('KOPIS_SERVICE_KEY'),
    // The canonical host over TLS: the service key is a query parameter, so plain http would send
    // it in clear. KOPIS documents http; https on kopis.or.kr is what public clients use (ADR 12).
    // http only when configured explicitly (a start-up warning says so).
    baseUrl: (r.url('KOPIS_BASE_URL', ['http:', 'https:']) ?? DEFAULT_KOPIS_BASE_URL).replace(/\/+$/, ''),
    // unofficially, 10 calls/s or more gets a key suspended
    ratePerSecond: r.int('KOPIS_RATE_PER_SECOND', 5, 1, 9),
    dailyCallBudget: r.int('KOPIS_DAILY_CALL_BUDGET', 1500, 1, 1_000_000),
    timeoutMs: r.int('KOPIS_TIMEOUT_MS', 15_000, 100, 120_000),
    retries: r.int('KOPIS_RETRIES', 4, 0, 10),
    backoffMs: r.int('KOPIS_BACKOFF_MS', 1000, 1, 60_000),
    syncDays: r.int('KOPIS_SYNC_DAYS', 90, 1, 730),
    syncIntervalMs: r.duration('KOPIS_SYNC_INTERVAL', 86_400_000, 60_000),
  });
}

/** Loads `.env` from the working directory into process.env, without overriding set values. */
export function loadDotEnv(cwd = process.cwd()): void {
  const file = path.join(cwd, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}
