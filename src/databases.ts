/**
 * The composition root's database half: which store adapters a `DATABASE_URL` selects. Only
 * `container.ts` (and tests that need the SQLite file) import this file.
 */
import type { Config } from './config/config.js';
import { isPostgresUrl, sqliteFileOf } from './config/database-location.js';
import type { Clock } from './platform/clock.js';
import type { AccountStore } from './features/accounts/account.store.js';
import type { JobLeaseStore } from './features/jobs/job-lease.store.js';
import type { KakaoStateStore } from './features/kakao/kakao-state.store.js';
import type { KakaoTicketStore } from './features/kakao/kakao-ticket.store.js';
import type { LikeStore } from './features/likes/like.store.js';
import { createPostgresLikeStore } from './features/likes/postgres-like-store.js';
import { createSqliteLikeStore } from './features/likes/sqlite-like-store.js';
import type { KopisSyncStore } from './features/kopis/kopis-sync.store.js';
import { createPostgresKopisSyncStore } from './features/kopis/postgres-kopis-sync-store.js';
import { createSqliteKopisSyncStore } from './features/kopis/sqlite-kopis-sync-store.js';
import type { PerformanceStore } from './features/catalog/catalog.store.js';
import type { PopularStore } from './features/popular/popular.store.js';
import type { RateLimitStore } from './features/accounts/rate-limit.store.js';
import type { RecommendationStore } from './features/recommendations/recommendation.store.js';
import type { ViewCountStore } from './features/popular/view-count.store.js';
import { CATALOG_CHANGED, listen } from './db/postgres/notifications.js';
import { AUTH_CHANGED, createPostgresAccountStore } from './features/accounts/postgres-account-store.js';
import { createPostgresJobLeaseStore } from './features/jobs/postgres-job-lease-store.js';
import { createPostgresKakaoStateStore } from './features/kakao/postgres-kakao-state-store.js';
import { createPostgresKakaoTicketStore } from './features/kakao/postgres-kakao-ticket-store.js';
import { createPostgresPerformanceStore } from './features/catalog/postgres-performance-store.js';
import { createPostgresPopularStore } from './features/popular/postgres-popular-store.js';
import { createPostgresRateLimitStore } from './features/accounts/postgres-rate-limit-store.js';
import { createPostgresRecommendationStore } from './features/recommendations/postgres-recommendation-store.js';
import { createPostgresViewCountStore } from './features/popular/postgres-view-count-store.js';
import { createSqliteAccountStore } from './features/accounts/sqlite-account-store.js';
import { createSqliteJobLeaseStore } from './features/jobs/sqlite-job-lease-store.js';
import { createSqliteKakaoStateStore } from './features/kakao/sqlite-kakao-state-store.js';
import { createSqliteKakaoTicketStore } from './features/kakao/sqlite-kakao-ticket-store.js';
import { createSqlitePerformanceStore } from './features/catalog/sqlite-performance-store.js';
import { createSqlitePopularStore } from './features/popular/sqlite-popular-store.js';
import { createSqliteRateLimitStore } from './features/accounts/sqlite-rate-limit-store.js';
import { createSqliteRecommendationStore } from './features/recommendations/sqlite-recommendation-store.js';
import { createSqliteViewCountStore } from './features/popular/sqlite-view-count-store.js';
import { openPostgres } from './db/postgres/connection.js';
import { openSqlite } from './db/sqlite/connection.js';

export { sqliteFileOf };

export interface Stores {
  performances: PerformanceStore;
  popular: PopularStore;
  recommendations: RecommendationStore;
  accounts: AccountStore;
  rateLimits: RateLimitStore;
  viewCounts: ViewCountStore;
  leases: JobLeaseStore;
  kakaoTickets: KakaoTicketStore;
  kakaoStates: KakaoStateStore;
  kopis: KopisSyncStore;
  likes: LikeStore;
}

/** The stores of one database, whichever dialect it speaks. */
export interface Database {
  stores: Stores;
  /** Calls `onChange` whenever any process commits a catalogue write; undefined where unsupported. */
  onCatalogChange?: (onChange: () => void, onError: (err: unknown) => void) => Promise<{ close(): Promise<void> }>;
  /** Calls `onChange` whenever any process commits a session end or user-type change; undefined where unsupported. */
  onAuthChange?: (onChange: () => void, onError: (err: unknown) => void) => Promise<{ close(): Promise<void> }>;
  /** Resolves when the database answers a trivial query (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

function openSqliteDatabase(config: Config, clock: Clock): Database {
  const db = openSqlite(sqliteFileOf(config));
  return {
    stores: {
      performances: createSqlitePerformanceStore(db, { clock }),
      popular: createSqlitePopularStore(db),
      recommendations: createSqliteRecommendationStore(db),
      accounts: createSqliteAccountStore(db),
      rateLimits: createSqliteRateLimitStore(db),
      viewCounts: createSqliteViewCountStore(db),
      leases: createSqliteJobLeaseStore(db),
      kakaoTickets: createSqliteKakaoTicketStore(db),
      kakaoStates: createSqliteKakaoStateStore(db),
      kopis: createSqliteKopisSyncStore(db),
      likes: createSqliteLikeStore(db),
    },
    ping: async () => {
      db.prepare('SELECT 1').get();
    },
    close: async () => {
      db.close();
    },
  };
}

async function openPostgresDatabase(url: string, config: Config, clock: Clock): Promise<Database> {
  const pool = await openPostgres({
    url,
    poolMax: config.databasePoolMax,
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    statementTimeoutMs: config.databaseStatementTimeoutMs,
  });
  return {
    stores: {
      performances: createPostgresPerformanceStore(pool, { clock }),
      popular: createPostgresPopularStore(pool),
      recommendations: createPostgresRecommendationStore(pool),
      accounts: createPostgresAccountStore(pool),
      rateLimits: createPostgresRateLimitStore(pool),
      viewCounts: createPostgresViewCountStore(pool),
      leases: createPostgresJobLeaseStore(pool),
      kakaoTickets: createPostgresKakaoTicketStore(pool),
      kakaoStates: createPostgresKakaoStateStore(pool),
      kopis: createPostgresKopisSyncStore(pool),
      likes: createPostgresLikeStore(pool, { url }),
    },
    onCatalogChange: (onChange, onError) => listen(url, CATALOG_CHANGED, onChange, onError),
    onAuthChange: (onChange, onError) => listen(url, AUTH_CHANGED, onChange, onError),
    ping: async () => {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}

/** Opens the database `config.databaseUrl` names (SQLite when unset) with its stores. */
export async function openDatabase(config: Config, clock: Clock): Promise<Database> {
  return isPostgresUrl(config.databaseUrl) ? openPostgresDatabase(config.databaseUrl, config, clock) : openSqliteDatabase(config, clock);
}
