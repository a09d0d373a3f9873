export {
  AccountService,
  actorFor,
  userTypeText,
  type AdminAccountOutcome,
  type AuthenticatedUser,
  type RequestContext,
  type TokenPair,
  type VerifiedToken,
} from './account.service.js';
export { AuthChangeWatcher, AUTH_CHANGE_POLL_MS, AUTH_STALENESS_BOUND_MS } from './auth-changes.js';
export { VerifiedTokenCache } from './verified-token-cache.js';
export { accountRoutes, contextOf } from './account.routes.js';
export { ErrorSchema } from './account.schemas.js';
export { frontendPassword } from './frontend-password.js';
export { validateAdminAccount, type AdminAccountInput } from './signup-rules.js';
export type { AccountStore } from './account.store.js';
export type { RateLimitStore } from './rate-limit.store.js';
export { createPostgresAccountStore } from './postgres-account-store.js';
export { createPostgresRateLimitStore } from './postgres-rate-limit-store.js';
export { createSqliteAccountStore } from './sqlite-account-store.js';
export { createSqliteRateLimitStore } from './sqlite-rate-limit-store.js';
export { resolveJwtSecret } from './jwt-secret.js';
export { createArgon2PasswordHasher, type PasswordHasher } from './password-hasher.js';
export { AuthThrottle, ClientRateLimiter } from './rate-limiter.js';
export { createJwtTokenSigner, type TokenSigner } from './token-signer.js';
export { LegacyUserImporter, parseMongoExport, type ImportReport } from './legacy-import.js';
