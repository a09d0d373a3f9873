export { CatalogService } from './catalog.service.js';
export type { CatalogReader, ListOptions } from './catalog-reader.js';
export { catalogRoutes } from './catalog.routes.js';
export { ErrorSchema, IdParamsSchema, ListSchema } from './catalog.schemas.js';
export type { PerformanceStore, UpsertCounts } from './catalog.store.js';
export { createMemoryPerformanceStore } from './memory-performance-store.js';
export { createPostgresPerformanceStore } from './postgres-performance-store.js';
export { createSqlitePerformanceStore } from './sqlite-performance-store.js';
export {
  duplicateKey,
  mergeHosts,
  OPEN_RUN,
  parsePerformance,
  runText,
  type Artist,
  type Casting,
  type Host,
  type ParseResult,
  type Performance,
  type PerformanceSummary,
  type Price,
  type RunText,
} from './performance.js';
export { isCurrent, isExclusive, isOnSale } from './rules.js';
export { isWebLink, OWN_POSTER_PREFIX } from './links.js';
export { withoutUnsafeLinks, type UnsafeLink } from './unsafe-links.js';
