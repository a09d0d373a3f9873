export { RecommendationService, RECOMMENDATION_SIZE } from './recommendation.service.js';
export { recommendationRoutes } from './recommendation.routes.js';
export { recommendJob, type RecommendJobDeps, type RecommendSummary } from './recommendation.job.js';
export type { RecommendationEntry, RecommendationStore } from './recommendation.store.js';
export { createPostgresRecommendationStore } from './postgres-recommendation-store.js';
export { createSqliteRecommendationStore } from './sqlite-recommendation-store.js';
