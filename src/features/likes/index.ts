export { LikesService, LIKED_SETS_MAX, type LikedItem, type LikedRun, type LikesDeps } from './likes.service.js';
export { likesRoutes, type LikesRouteDeps } from './likes.routes.js';
export type { LikeChangeListener, LikeRecord, LikeStore, LikeWatch } from './like.store.js';
export { createPostgresLikeStore } from './postgres-like-store.js';
export { createSqliteLikeStore, SQLITE_LIKE_POLL_MS } from './sqlite-like-store.js';
