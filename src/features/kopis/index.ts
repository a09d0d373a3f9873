export {
  KopisApiError,
  KopisBudgetExhaustedError,
  KopisFormatError,
  KopisHttpError,
  type KopisBoxofficeItem,
  type KopisClient,
  type KopisDetail,
  type KopisListItem,
  type KopisTransport,
} from './kopis.client.js';
export { createKopisClient, type KopisCallBudget, type KopisCallPolicy } from './kopis-calls.js';
export { KopisSyncService, type KopisSyncSummary, type SyncOptions, type SyncProgress } from './kopis-sync.service.js';
export { kopisSyncJob } from './kopis-sync.job.js';
export { KopisBoxofficeService, type BoxofficeComparison } from './kopis-boxoffice.service.js';
export type { KopisSyncStore, SyncCounts } from './kopis-sync.store.js';
export { provinceCodesOf, REGIONS } from './kopis-codes.js';
export { createHttpKopisTransport } from './http-kopis-transport.js';
export { createPostgresKopisSyncStore } from './postgres-kopis-sync-store.js';
export { createSqliteKopisSyncStore } from './sqlite-kopis-sync-store.js';
