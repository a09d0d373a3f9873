import { hostname } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/config.js';
import { openSqlite, type SqliteDb } from './db/sqlite/connection.js';
import { CatalogService } from './features/catalog/catalog.service.js';
import type { PerformanceStore } from './features/catalog/catalog.store.js';
import { catalogRoutes } from './features/catalog/catalog.routes.js';
import { createSqlitePerformanceStore } from './features/catalog/sqlite-performance-store.js';
import { PopularService } from './features/popular/popular.service.js';
import type { PopularStore } from './features/popular/popular.store.js';
import { popularRoutes } from './features/popular/popular.routes.js';
import { createSqlitePopularStore } from './features/popular/sqlite-popular-store.js';
import { RecommendationService } from './features/recommendations/recommendation.service.js';
import type { RecommendationStore } from './features/recommendations/recommendation.store.js';
import { recommendationRoutes } from './features/recommendations/recommendation.routes.js';
import { createSqliteRecommendationStore } from './features/recommendations/sqlite-recommendation-store.js';
import { isCurrent } from './features/catalog/rules.js';
import type { JobLeaseStore } from './features/jobs/job-lease.store.js';
import { JobRunner } from './features/jobs/job-runner.js';
import { createSqliteJobLeaseStore } from './features/jobs/sqlite-job-lease-store.js';
import { popularJob, type PopularSummary } from './features/popular/popular.job.js';
import { createSqliteViewCountStore } from './features/popular/sqlite-view-count-store.js';
import type { ViewCountStore } from './features/popular/view-count.store.js';
import { recommendJob, type RecommendSummary } from './features/recommendations/recommendation.job.js';
import { buildApp } from './http/build-app.js';
import type { Lake } from './pipeline/lake/lake.js';
import { createLocalLake } from './pipeline/lake/local-lake.js';
import { type Clock, fixedClock, systemClock } from './platform/clock.js';
import { createIdGenerator, type IdGenerator } from './platform/ids.js';
import { type EventRecorder, noEvents } from './pipeline/events.js';

export interface Stores {
  performances: PerformanceStore;
  popular: PopularStore;
  recommendations: RecommendationStore;
  viewCounts: ViewCountStore;
  leases: JobLeaseStore;
}

export interface Jobs {
  popular: JobRunner<PopularSummary>;
  recommend: JobRunner<RecommendSummary>;
}

/** A job that dies without releasing its lease blocks the next run for at most this long. */
const POPULAR_LEASE_MS = 15 * 60_000;
const RECOMMEND_LEASE_MS = 30 * 60_000;

/** Everything a command needs, wired once. The only place that picks adapters. */
export interface Container {
  config: Config;
  clock: Clock;
  ids: IdGenerator;
  stores: Stores;
  events: EventRecorder;
  catalog: CatalogService;
  popular: PopularService;
  recommendations: RecommendationService;
  lake: Lake;
  jobs: Jobs;
  buildHttp(): Promise<FastifyInstance>;
  close(): Promise<void>;
}

export interface ContainerOverrides {
  clock?: Clock;
  events?: EventRecorder;
  lake?: Lake;
}

export function sqliteFileOf(config: Config): string {
  const url = config.databaseUrl;
  if (url === undefined) return path.join(config.dataDir, 'ticketmoa.db');
  if (url.startsWith('sqlite:') || url.startsWith('file:')) {
    const rest = url.replace(/^(sqlite|file):(\/\/)?/, '');
    return rest === ':memory:' ? rest : path.resolve(rest);
  }
  throw new Error(`DATABASE_URL ${new URL(url).protocol}// is not supported yet; unset it to use SQLite`);
}

export async function createContainer(config: Config, overrides: ContainerOverrides = {}): Promise<Container> {
  const clock = overrides.clock ?? (config.now ? fixedClock(config.now) : systemClock);
  const ids = createIdGenerator(clock);
  const db: SqliteDb = openSqlite(sqliteFileOf(config));
  const stores: Stores = {
    performances: createSqlitePerformanceStore(db, { clock }),
    popular: createSqlitePopularStore(db),
    recommendations: createSqliteRecommendationStore(db),
    viewCounts: createSqliteViewCountStore(db),
    leases: createSqliteJobLeaseStore(db),
  };
  // Until a LAKE_URL setting exists, the lake is a folder next to the database.
  const lake = overrides.lake ?? createLocalLake(path.join(config.dataDir, 'lake'));
  const events = overrides.events ?? noEvents;
  const catalog = new CatalogService({ store: stores.performances, clock });
  await catalog.refresh();
  const popular = new PopularService({ store: stores.popular, catalog });
  const recommendations = new RecommendationService({
    store: stores.recommendations,
    catalog,
    performances: stores.performances,
    clock,
  });
  const runner = { leases: stores.leases, clock, holder: `${hostname()}:${process.pid}:${ids.uuid().slice(0, 8)}` };
  const jobs: Jobs = {
    popular: new JobRunner(
      'popular',
      popularJob({
        lake,
        counts: stores.viewCounts,
        rankings: stores.popular,
        clock,
        rankable: async () => {
          await catalog.refresh();
          const today = catalog.today();
          return (id) => {
            const run = catalog.summaryOf(id);
            return run !== undefined && isCurrent(run, today);
          };
        },
      }),
      POPULAR_LEASE_MS,
      runner,
    ),
    recommend: new JobRunner(
      'recommend',
      recommendJob({ performances: stores.performances, store: stores.recommendations, clock }),
      RECOMMEND_LEASE_MS,
      runner,
    ),
  };

  return {
    config,
    clock,
    ids,
    stores,
    events,
    catalog,
    popular,
    recommendations,
    lake,
    jobs,
    buildHttp: () =>
      buildApp({
        config,
        routes: [
          { plugin: catalogRoutes, options: { catalog, events } },
          { plugin: popularRoutes, options: { popular } },
          { plugin: recommendationRoutes, options: { recommendations } },
        ],
        health: async () => ({ runs: catalog.size() }),
      }),
    close: async () => {
      catalog.stopWatching();
      db.close();
    },
  };
}
