export {
  SearchService,
  searchDocOf,
  monthEndOf,
  type SearchAnswer,
  type SearchCatalog,
  type SearchItem,
  type SearchServiceDeps,
} from './search.service.js';
export { searchRoutes, searchParamsOf, type SearchRouteDeps } from './search.routes.js';
export type * from './search-types.js';
