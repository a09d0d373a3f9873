export { DashboardService, type DashboardDeps } from './dashboard.service.js';
export { dashboardRoutes } from './dashboard.routes.js';
export { adminPageRoutes } from './admin-page.routes.js';
export type { AnalyticsEngine } from './analytics-engine.js';
export { createDuckDbAnalyticsEngine } from './duckdb-analytics-engine.js';
export { createCachedLakeFiles, createDirectLakeFiles, type LakeFiles } from './local-lake-files.js';
