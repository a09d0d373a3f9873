import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
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
import { buildApp } from './http/build-app.js';
import { type Clock, fixedClock, systemClock } from './platform/clock.js';
import { createIdGenerator, type IdGenerator } from './platform/ids.js';
import { loggerOptions } from './platform/logger.js';
import type { EventRecorder } from './pipeline/events.js';
import { durableEventsHook } from './pipeline/http/durable-events.hook.js';
import { createPipeline, type Pipeline } from './pipeline/pipeline.js';

export interface Stores {
  performances: PerformanceStore;
  popular: PopularStore;
  recommendations: RecommendationStore;
}

/** Everything a command needs, wired once. The only place that picks adapters. */
export interface Container {
  config: Config;
  clock: Clock;
  ids: IdGenerator;
  stores: Stores;
  events: EventRecorder;
  /** Outbox, bus and lake of the user-action event log. */
  pipeline: Pipeline;
  catalog: CatalogService;
  popular: PopularService;
  recommendations: RecommendationService;
  buildHttp(): Promise<FastifyInstance>;
  close(): Promise<void>;
}

export interface ContainerOverrides {
  clock?: Clock;
  events?: EventRecorder;
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
  };
  const log = pino(loggerOptions(config.logLevel));
  const pipeline = createPipeline(config.pipeline, config.dataDir, { clock, ids, log });
  const events = overrides.events ?? pipeline.recorder;
  const catalog = new CatalogService({ store: stores.performances, clock });
  await catalog.refresh();
  const popular = new PopularService({ store: stores.popular, catalog });
  const recommendations = new RecommendationService({ store: stores.recommendations, catalog });

  return {
    config,
    clock,
    ids,
    stores,
    events,
    pipeline,
    catalog,
    popular,
    recommendations,
    buildHttp: () =>
      buildApp({
        config,
        hooks: [{ plugin: durableEventsHook, options: { events } }],
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
      pipeline.close();
    },
  };
}
