import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import { actorOf } from '../../http/actor.js';
import { ValidationErrorSchema } from '../../http/error-schemas.js';
import { unprocessable } from '../../platform/errors.js';
import { dashedToDotted } from '../../platform/kst.js';
import type { SearchService } from './search.service.js';
import { SearchAnswerSchema, SearchV1QuerySchema, SuggestionsSchema, SuggestQuerySchema } from './search.schemas.js';
import type { SearchParams, SortOrder } from './search-types.js';

export interface SearchRouteDeps {
  search: SearchService;
}

const tags = ['search'];
const DEFAULT_SIZE = 20;
const DEFAULT_SUGGESTIONS = 8;

/** Given once or repeated, empty values dropped. */
const valuesOf = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== '');
const given = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

/** The wire parameters as the index takes them; the schema has checked their shapes, this checks what it cannot. */
export function searchParamsOf(query: Static<typeof SearchV1QuerySchema>): SearchParams {
  const dates: { from?: string; to?: string } = {};
  for (const name of ['from', 'to'] as const) {
    const value = given(query[name]);
    if (value === undefined) continue;
    const dotted = dashedToDotted(value);
    if (dotted === undefined) throw unprocessable({ field: `querystring.${name}`, message: 'must be a real date written YYYY-MM-DD' });
    dates[name] = dotted;
  }
  if (dates.from !== undefined && dates.to !== undefined && dates.from > dates.to)
    throw unprocessable({ field: 'querystring.from', message: 'must not be after to' });
  const q = query.q ?? '';
  const sort = (given(query.sort) ?? (q.trim() === '' ? 'date' : 'relevance')) as SortOrder;
  return {
    q,
    categories: [...new Set(valuesOf(query.category))],
    regions: [...new Set(valuesOf(query.region))],
    vendors: [...new Set(valuesOf(query.vendor).map(Number))],
    ...dates,
    onSale: query.on_sale === 'true',
    sort,
    page: Number(given(query.page) ?? 1),
    size: Number(given(query.size) ?? DEFAULT_SIZE),
  };
}

/** `/v1/search` and `/v1/suggest` (docs/search-api.md). */
export const searchRoutes: FastifyPluginAsyncTypebox<SearchRouteDeps> = async (app, { search }) => {
  app.get(
    '/v1/search',
    {
      schema: {
        tags,
        summary: 'Ranked, faceted, paged search with Korean matching (초성, mid-typing, keyboard layout, typos)',
        querystring: SearchV1QuerySchema,
        response: { 200: SearchAnswerSchema, 422: ValidationErrorSchema },
      },
    },
    async (req) => search.search(searchParamsOf(req.query), actorOf(req)),
  );

  app.get(
    '/v1/suggest',
    {
      schema: {
        tags,
        summary: 'As-you-type completions from titles, artists and venues',
        querystring: SuggestQuerySchema,
        response: { 200: SuggestionsSchema, 422: ValidationErrorSchema },
      },
    },
    async (req) => search.suggest(req.query.q ?? '', Number(given(req.query.limit) ?? DEFAULT_SUGGESTIONS)),
  );
};
