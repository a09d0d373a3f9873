export {
  RecommendationService,
  RECOMMENDATION_SIZE,
  SWEEP_LIMIT,
  type SimilarRunsQueue,
  type SimilarRunsRequest,
  type SimilarRunsSummary,
} from './recommendation.service.js';
export { SimilarRunsBackfill, type SimilarRunsBackfillDeps } from './similar-runs-backfill.js';
export { recommendationRoutes } from './recommendation.routes.js';
export { recommendJob, type RecommendJobDeps, type RecommendSummary } from './recommendation.job.js';
export { noViewHistory, type ViewHistory, type ViewRecord } from './view-history.js';
export type { RecommendationEntry, RecommendationStore } from './recommendation.store.js';
export { createPostgresRecommendationStore } from './postgres-recommendation-store.js';
export { createSqliteRecommendationStore } from './sqlite-recommendation-store.js';
