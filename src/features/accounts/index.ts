export { AccountService, actorFor, userTypeText, type AuthenticatedUser, type RequestContext, type TokenPair } from './account.service.js';
export { accountRoutes, contextOf } from './account.routes.js';
export { ErrorSchema } from './account.schemas.js';
