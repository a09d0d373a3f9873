import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { kopisWarning, metricsWarning, trustProxyWarning, type Config } from './config/config.js';
import { lakeViewHistory } from './composition/lake-view-history.js';
import { createEventLog } from './composition/event-log.js';
import { openDatabase, type Stores } from './databases.js';
import { CatalogService, catalogRoutes } from './features/catalog/index.js';
import { PopularService, popularJob, popularRoutes, rankableRuns, viewsLast7Days, type PopularSummary } from './features/popular/index.js';
import {
  RecommendationService,
  recommendationRoutes,
  recommendJob,
  SimilarRunsBackfill,
  type RecommendSummary,
} from './features/recommendations/index.js';
import {
  AccountService,
  accountRoutes,
  AuthChangeWatcher,
  AUTH_STALENESS_BOUND_MS,
  AuthThrottle,
  ClientRateLimiter,
  createArgon2PasswordHasher,
  createJwtTokenSigner,
  LegacyUserImporter,
  resolveJwtSecret,
  VerifiedTokenCache,
  type VerifiedToken,
} from './features/accounts/index.js';
import {
  createHttpKakaoClient,
  createTokenCipher,
  deriveKakaoStateKey,
  KakaoService,
  KakaoStates,
  kakaoRoutes,
  resolveKakaoTokenKey,
} from './features/kakao/index.js';
import { LikesService, likesRoutes } from './features/likes/index.js';
import { SearchService, searchRoutes } from './features/search/index.js';
import { authPlugin } from './http/auth-plugin.js';
import { JobRunner, type ScheduledJob } from './features/jobs/index.js';
import { jobInChildProcess, similarRunsInChildProcess } from './composition/job-process.js';
import { COMPACT_LEASE_MS, compactLakeJob } from './composition/compact-job.js';
import type { CompactSummary } from './pipeline/lake/compact.js';
import { ADMIN_ASSET_DIR, createDashboard } from './composition/dashboard.js';
import { adminPageRoutes, dashboardRoutes, type DashboardService } from './features/dashboard/index.js';
import { buildApp } from './http/build-app.js';
import type { Readiness } from './http/ops-routes.js';
import { createMetrics, type Metrics } from './platform/metrics.js';
import type { Lake } from './pipeline/lake/lake.js';
import { type Clock, fixedClock, systemClock, systemTimer } from './platform/clock.js';
import { createIdGenerator, type IdGenerator } from './platform/ids.js';
import { createLogger, type Logger } from './platform/logger.js';
import type { EventRecorder } from './pipeline/events.js';
import { durableEventsHook } from './pipeline/http/durable-events.hook.js';
import type { Pipeline } from './pipeline/pipeline.js';
import { ImportService, linkRepairJob, type LinkRepairSummary } from './features/ingest/index.js';
import { createKopisServices, type KopisServices } from './composition/kopis.js';
import type { KopisSyncSummary } from './features/kopis/index.js';
import { PosterService, posterRoutes, posterUrls } from './features/posters/index.js';
import type { LikedRuns } from './http/liked-lists.js';

export type { Stores };

export interface Jobs {
  popular: JobRunner<PopularSummary>;
  recommend: JobRunner<RecommendSummary>;
  /** The KOPIS sync with its default options (what serve's daily schedule runs). */
  kopis: JobRunner<KopisSyncSummary>;
  /** `compact-lake` over closed days of every topic (ADR 18). */
  compact: JobRunner<CompactSummary>;
}

/** A job that dies without releasing its lease blocks the next run for at most this long. */
const POPULAR_LEASE_MS = 15 * 60_000;
const RECOMMEND_LEASE_MS = 30 * 60_000;
const LINK_REPAIR_LEASE_MS = 15 * 60_000;
/** How often `serve` looks whether the catalogue changed, to compute the lists of runs added. */
const SIMILAR_RUNS_SWEEP_MS = 20_000;
/** How often `serve` looks whether the catalogue or its views changed, to rebuild the search index. */
const SEARCH_FOLLOW_MS = 1000;
/** A database that has not answered `/readyz`'s query by then counts as unreachable. */
const READINESS_PING_MS = 2000;

/**
 * Everything a command needs, wired once. The composition root: this file, `databases.ts` (store
 * adapters) and `composition/event-log.ts` (outbox, bus, lake, recorder, sink) are the only place
 * that picks adapters; commands ask the container, they never construct services.
 */
export interface Container {
  config: Config;
  clock: Clock;
  ids: IdGenerator;
  /** The process's one logger; Fastify logs through it too. */
  log: Logger;
  stores: Stores;
  events: EventRecorder;
  /** Outbox, bus and lake of the user-action event log. */
  pipeline: Pipeline;
  catalog: CatalogService;
  popular: PopularService;
  recommendations: RecommendationService;
  /** Computes, off the request loop, the lists of runs that have none yet (one pass at a time). */
  similarRuns: SimilarRunsBackfill;
  accounts: AccountService;
  kakao: KakaoService;
  /** Likes (§2b), and each account's liked-id set for the list endpoints (`likes.likedIds`). */
  likes: LikesService;
  /** `/v1/search` and `/v1/suggest`: the Korean search index over the catalogue, rebuilt when it changes. */
  search: SearchService;
  /** The admin dashboard's figures over the lake. */
  dashboard: DashboardService;
  userImport: LegacyUserImporter;
  /** Writes runs to the catalogue store (`import`, `seed`). */
  importService: ImportService;
  /** The KOPIS connector: sync (as a job under the `kopis` lease) and the box office cross-check. */
  kopis: KopisServices;
  /** Things the operator should hear about at start-up (for example a generated JWT secret). */
  warnings: string[];
  /**
   * Keeps the catalogue current with writes made by other processes: polls the store's version,
   * and where the database can announce writes (PostgreSQL) also reloads as soon as one commits.
   */
  watchCatalog(pollMs: number, onError: (err: unknown) => void): Promise<void>;
  /**
   * Resolves once the in-memory catalogue has been loaded from the store (the first call loads
   * it). Nothing loads it at start: the HTTP app awaits this before it is built, the popular job
   * refreshes it when it ranks, and commands that never read it (sink, import, grant-admin, …)
   * never pay for reading every run.
   */
  catalogReady(): Promise<void>;
  lake: Lake;
  /** The jobs, run in this process (what `ticketmoa popular` and `ticketmoa recommend` do). */
  jobs: Jobs;
  /** Blanks stored unsafe links (`ticketmoa repair-links`; `serve` runs it at start in a database where it never finished). */
  linkRepair: JobRunner<LinkRepairSummary>;
  /** The same jobs, each run in a child process at the lowest OS priority (what `serve`'s schedules run). */
  scheduledJobs: Record<keyof Jobs, ScheduledJob>;
  /** This process's Prometheus metrics (what `/metrics` or the metrics port shows). */
  metrics: Metrics;
  /** Where start-up stands, for `/readyz` (serve marks it done once it listens, stopping at a signal). */
  setStartup(state: Readiness['startup']): void;
  readiness(): Promise<Readiness>;
  /** The HTTP app, with the catalogue loaded first. */
  buildHttp(): Promise<FastifyInstance>;
  close(): Promise<void>;
}

export interface ContainerOverrides {
  clock?: Clock;
  events?: EventRecorder;
  /** Replaces the lake LAKE_URL names, for the sink and the jobs alike. */
  lake?: Lake;
  log?: Logger;
  /** Replaces some of the database's stores (tests that watch or break one). */
  stores?: Partial<Stores>;
  /**
   * Computes the lists of runs added since the last build in this process instead of a job
   * process (tests driven by `app.inject()`, whose code is not built for a child to run).
   */
  similarRunsInProcess?: boolean;
  /** The runs each user likes, shown as `is_liked` on every list (tests with a fake). */
  likedRuns?: LikedRuns;
}

export async function createContainer(config: Config, overrides: ContainerOverrides = {}): Promise<Container> {
  const clock = overrides.clock ?? (config.now ? fixedClock(config.now) : systemClock);
  const ids = createIdGenerator(clock);
  const database = await openDatabase(config, clock);
  const stores: Stores = { ...database.stores, ...overrides.stores };
  const log = overrides.log ?? createLogger(config.logLevel, config.logFormat);
  const pipeline = createEventLog(config.pipeline, config.dataDir, { clock, ids, log, lake: overrides.lake });
  const { lake } = pipeline;
  const events = overrides.events ?? pipeline.recorder;
  // `/this_weekend` ranks by the popular feature's 7-day views, handed over as a plain function
  // the service's own posters are stored as `/posters/{id}` and served absolute, under PUBLIC_URL
  const posterUrl = posterUrls(config.publicUrl);
  const catalog = new CatalogService({
    store: stores.performances,
    clock,
    events,
    viewsLast7Days: viewsLast7Days(stores.popular),
    posterUrl,
  });
  const likes = new LikesService({
    store: stores.likes,
    catalog,
    documents: stores.performances,
    clock,
    events,
    posterUrl,
    onWatchError: (err) => log.warn({ err }, 'likes change feed failed'),
  });
  const popular = new PopularService({ store: stores.popular, catalog });
  const search = new SearchService({
    catalog,
    documents: stores.performances,
    clock,
    events,
    posterUrl,
    onBuildError: (err) => log.error({ err }, 'building the search index failed; the previous one keeps answering'),
    onBuilt: ({ runs, ms }) => log.debug({ runs, ms: Math.round(ms) }, 'search index built'),
  });
  // each account's liked-id set (a new set on every change), laid over the cached list bodies
  const likedRuns: LikedRuns = overrides.likedRuns ?? ((userId) => likes.likedIds(userId));
  const recommendations = new RecommendationService({
    store: stores.recommendations,
    catalog,
    performances: stores.performances,
    clock,
  });
  const metrics = createMetrics();
  const similarRunsBackfill = new SimilarRunsBackfill({
    compute: overrides.similarRunsInProcess
      ? (request, signal) => recommendations.computeMissing(request, { signal })
      : similarRunsInChildProcess(log),
    onPass: (pass) => {
      metrics.jobFinished('similar-runs', pass.status, pass.ms / 1000);
      if (pass.status === 'ran') log.info({ job: 'similar-runs', ms: Math.round(pass.ms), ...pass.summary }, 'similar runs computed');
      else log.error({ err: pass.err, job: 'similar-runs' }, 'computing similar runs failed');
    },
    onDropped: (id) => log.warn({ job: 'similar-runs', id }, 'similar-run queue full: not queued'),
  });
  recommendations.computeIn(similarRunsBackfill);
  let sweepTimer: NodeJS.Timeout | undefined;
  const runner = { leases: stores.leases, clock, holder: `${hostname()}:${process.pid}:${ids.uuid().slice(0, 8)}` };
  const importService = new ImportService({ store: stores.performances, ids });
  const kopis = createKopisServices({ config: config.kopis, stores, importService, clock, ids, log, runner });
  const jobs: Jobs = {
    popular: new JobRunner(
      'popular',
      popularJob({
        lake,
        counts: stores.viewCounts,
        rankings: stores.popular,
        clock,
        rankable: rankableRuns(catalog),
      }),
      POPULAR_LEASE_MS,
      runner,
    ),
    recommend: new JobRunner(
      'recommend',
      recommendJob({
        performances: stores.performances,
        store: stores.recommendations,
        clock,
        views: lakeViewHistory(lake, { onUnreadable: (key, err) => log.warn({ err, key }, 'recommend: unreadable view-log file') }),
      }),
      RECOMMEND_LEASE_MS,
      runner,
    ),
    kopis: kopis.job(),
    compact: new JobRunner('compact', compactLakeJob({ lake, clock, config }), COMPACT_LEASE_MS, runner),
  };
  let announcements: { close(): Promise<void> } | undefined;
  let catalogLoaded: Promise<void> | undefined;
  // Callers share the first load; a failed one is forgotten so that the next caller tries again.
  const catalogReady = () =>
    (catalogLoaded ??= catalog.refresh().catch((err: unknown) => {
      catalogLoaded = undefined;
      throw err;
    }));
  const warnings: string[] = [];
  const jwt = resolveJwtSecret(config);
  if (jwt.warning) warnings.push(jwt.warning);
  const kopisNotice = kopisWarning(config.kopis);
  if (kopisNotice) warnings.push(kopisNotice);
  const proxyWarning = trustProxyWarning(config.trustProxy);
  if (proxyWarning) warnings.push(proxyWarning);
  const metricsNotice = metricsWarning(config);
  if (metricsNotice) warnings.push(metricsNotice);
  let startup: Readiness['startup'] = 'starting';
  const readiness = async (): Promise<Readiness> => {
    const reachable = await pingWithin(database.ping(), READINESS_PING_MS);
    return { ready: startup === 'done' && reachable === 'ok', startup, database: reachable };
  };
  const hasher = createArgon2PasswordHasher(config.auth);
  // Checked tokens are remembered while the change feed is followed (from buildHttp on), so a
  // logout or admin change anywhere is honoured here within AUTH_STALENESS_BOUND_MS.
  const verified = new VerifiedTokenCache<VerifiedToken>({
    clock,
    timer: systemTimer,
    maxStalenessMs: AUTH_STALENESS_BOUND_MS,
    keysOf: (v) => ({ sessionId: v.sessionId, userId: v.userId }),
  });
  const authWatcher = new AuthChangeWatcher({
    store: stores.accounts,
    target: verified,
    timer: systemTimer,
    onError: (err) => log.warn({ err }, 'reading the auth change feed failed; token checks go to the database until it answers'),
  });
  let authAnnouncements: { close(): Promise<void> } | undefined;
  const followAuthChanges = async () => {
    await authWatcher.start();
    const onError = (err: unknown) => log.warn({ err }, 'auth change notifications failed; polling continues');
    authAnnouncements ??= await database
      .onAuthChange?.(() => void authWatcher.poke(), onError)
      .catch((err: unknown) => {
        onError(err);
        return undefined;
      });
  };
  const accounts = new AccountService({
    verified,
    store: stores.accounts,
    throttle: new AuthThrottle({ store: stores.rateLimits, clock, config: config.auth }),
    hasher,
    tokens: createJwtTokenSigner(jwt.secret, { clock }),
    clock,
    ids,
    events,
    config: config.auth,
  });
  const kakaoKey = resolveKakaoTokenKey(config.kakao.tokenKey, jwt.secret, config.kakao.clientId !== undefined);
  if (kakaoKey.warning) warnings.push(kakaoKey.warning);
  const dashboard = createDashboard(config, {
    lake,
    lakeIsConfigured: overrides.lake === undefined,
    catalog,
    clock,
    log,
    pending: () => pipeline.pending(),
    lakeWrites: () => pipeline.lakeWrites(),
  });
  const kakao = new KakaoService({
    client: createHttpKakaoClient(config.kakao),
    accounts,
    tickets: stores.kakaoTickets,
    states: new KakaoStates({ key: deriveKakaoStateKey(jwt.secret), store: stores.kakaoStates, clock, ids }),
    callbackLimit: new ClientRateLimiter({
      store: stores.rateLimits,
      clock,
      name: 'kakao-callback',
      limit: config.kakao.callbackLimit,
      windowSeconds: config.kakao.callbackWindowSeconds,
    }),
    cipher: createTokenCipher(kakaoKey.key, ids),
    events,
    clock,
    ids,
    config: config.kakao,
    frontendUrl: config.frontendUrl,
  });

  return {
    config,
    clock,
    ids,
    log,
    stores,
    events,
    pipeline,
    catalog,
    popular,
    recommendations,
    similarRuns: similarRunsBackfill,
    accounts,
    kakao,
    likes,
    search,
    dashboard: dashboard.service,
    userImport: new LegacyUserImporter({ store: stores.accounts, hasher, clock }),
    importService,
    kopis,
    warnings,
    lake,
    jobs,
    linkRepair: new JobRunner('repair-links', linkRepairJob(stores.performances), LINK_REPAIR_LEASE_MS, runner),
    scheduledJobs: {
      popular: jobInChildProcess({ runner: jobs.popular, log }),
      recommend: jobInChildProcess({ runner: jobs.recommend, log }),
      kopis: jobInChildProcess({ runner: jobs.kopis, log }),
      compact: jobInChildProcess({ runner: jobs.compact, log }),
    },
    catalogReady,
    metrics,
    setStartup: (state) => {
      startup = state;
    },
    readiness,
    buildHttp: async () => {
      await catalogReady();
      await followAuthChanges();
      // the first index is built now, in slices; a search that arrives before it is done waits for it
      void search.rebuild().catch(() => {});
      return buildApp({
        config,
        log,
        hooks: [
          { plugin: authPlugin, options: { authenticate: (token: string) => accounts.authenticate(token) } },
          { plugin: durableEventsHook, options: { events } },
        ],
        routes: [
          { plugin: catalogRoutes, options: { catalog, likedRuns } },
          { plugin: posterRoutes, options: { posters: new PosterService({ catalog }) } },
          { plugin: popularRoutes, options: { popular, likedRuns } },
          { plugin: recommendationRoutes, options: { recommendations, likedRuns } },
          { plugin: accountRoutes, options: { accounts } },
          { plugin: kakaoRoutes, options: { kakao, secureCookie: config.kakao.secureCookie } },
          { plugin: likesRoutes, options: { likes } },
          { plugin: searchRoutes, options: { search } },
          { plugin: dashboardRoutes, options: { dashboard: dashboard.service } },
          { plugin: adminPageRoutes, options: { assetDir: ADMIN_ASSET_DIR } },
        ],
        ops: config.metrics.on === 'off' ? { readiness } : { metrics, metricsRoute: config.metrics.on === 'api', readiness },
        health: async () => {
          const events = pipeline.health();
          return { status: events.status, runs: catalog.size(), events };
        },
      });
    },
    watchCatalog: async (pollMs, onError) => {
      await catalogReady();
      catalog.startWatching(pollMs, onError);
      search.follow(SEARCH_FOLLOW_MS);
      announcements ??= await database.onCatalogChange?.(() => void catalog.refresh().catch(onError), onError);
      // Runs imported or synced since the last build get their lists without waiting for a request.
      if (!sweepTimer) {
        let seen = catalog.allRuns();
        similarRunsBackfill.sweep();
        sweepTimer = setInterval(() => {
          if (catalog.allRuns() === seen) return;
          seen = catalog.allRuns();
          similarRunsBackfill.sweep();
        }, SIMILAR_RUNS_SWEEP_MS);
        sweepTimer.unref();
      }
    },
    close: async () => {
      catalog.stopWatching();
      search.close();
      authWatcher.stop();
      await authAnnouncements?.close();
      clearInterval(sweepTimer);
      await similarRunsBackfill.close();
      await likes.close();
      await announcements?.close();
      await dashboard.close();
      await database.close();
      pipeline.close();
    },
  };
}

/** `ok` when the query answers within `ms`, `unreachable` when it fails or takes longer. */
async function pingWithin(ping: Promise<void>, ms: number): Promise<Readiness['database']> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'unreachable'>((resolve) => (timer = setTimeout(() => resolve('unreachable'), ms)));
  try {
    return await Promise.race([ping.then(() => 'ok' as const), late]);
  } catch {
    return 'unreachable';
  } finally {
    clearTimeout(timer);
  }
}
