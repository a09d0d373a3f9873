import { Type } from 'typebox';
import { MATCH_KINDS, WHEN_BUCKETS } from './search-types.js';

/** Longest query accepted (characters). */
export const MAX_QUERY = 200;
/** Most values of one repeatable filter. */
export const MAX_FILTER_VALUES = 20;

/** A parameter that may be given once or repeated (`?region=서울&region=경상`). */
const repeatable = (item: ReturnType<typeof Type.String>, description: string) =>
  Type.Optional(Type.Union([item, Type.Array(item, { maxItems: MAX_FILTER_VALUES })], { description }));

export const SearchV1QuerySchema = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: MAX_QUERY, description: 'What the person typed; empty = browse' })),
    category: repeatable(Type.String({ maxLength: 50 }), '콘서트, 뮤지컬, 연극, 뮤지컬/연극 (musicals and plays), …; repeatable (any of them)'),
    region: repeatable(Type.String({ maxLength: 50 }), 'Region group: 서울, 수도권, 경상, 전라, 강원, 충청, 제주; repeatable'),
    vendor: repeatable(Type.String({ pattern: '^([0-9]{1,6})?$' }), 'Vendor site_id; repeatable'),
    from: Type.Optional(Type.String({ pattern: '^([0-9]{4}-[0-9]{2}-[0-9]{2})?$', description: 'YYYY-MM-DD; runs overlapping [from, to]' })),
    to: Type.Optional(Type.String({ pattern: '^([0-9]{4}-[0-9]{2}-[0-9]{2})?$', description: 'YYYY-MM-DD; runs overlapping [from, to]' })),
    on_sale: Type.Optional(Type.String({ pattern: '^(true|false)?$', description: '`true`: only runs on sale now' })),
    sort: Type.Optional(
      Type.String({ pattern: '^(relevance|date|popular)?$', description: '`relevance` (default with q), `date` (default without), `popular`' }),
    ),
    page: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{0,3})?$', description: '1-based page, 1 to 9999 (default 1)' })),
    size: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)?$', description: 'Items per page, 1 to 100 (default 20)' })),
  },
  { additionalProperties: true },
);

const Highlights = Type.Array(Type.Array(Type.Integer(), { minItems: 2, maxItems: 2 }), {
  description: 'Half-open [start, end) UTF-16 ranges of the title that matched',
});

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const SearchItemSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  category: NullableString,
  region: NullableString,
  location: NullableString,
  start_date: Type.String({ description: 'YYYY.MM.DD' }),
  end_date: Type.String({ description: 'YYYY.MM.DD or 상시공연 (open run)' }),
  poster_url: NullableString,
  onSale: Type.Boolean(),
  isExclusive: Type.Boolean(),
  vendors: Type.Array(Type.Integer(), { description: 'site_id of every vendor selling it, ascending' }),
  score: Type.Number({ description: 'Higher is better; comparable within one answer only' }),
  highlights: Type.Object({ title: Highlights }),
});

const count = Type.Integer();

export const SearchAnswerSchema = Type.Object({
  query: Type.Object({
    q: Type.String(),
    normalized: Type.String({ description: 'The query as compared: case-folded, NFKC, spacing collapsed' }),
    matched_as: Type.Array(Type.Enum(MATCH_KINDS), {
      description: 'How the results matched, best tier first',
    }),
  }),
  total: Type.Integer(),
  page: Type.Integer(),
  size: Type.Integer(),
  items: Type.Array(SearchItemSchema),
  facets: Type.Object(
    {
      category: Type.Array(Type.Object({ value: Type.String(), count })),
      region: Type.Array(Type.Object({ value: Type.String(), count })),
      vendor: Type.Array(Type.Object({ value: Type.Integer(), count })),
      when: Type.Array(Type.Object({ value: Type.Enum(WHEN_BUCKETS), count })),
    },
    { description: "Disjunctive: each facet's counts apply every filter but its own" },
  ),
});

export const SuggestQuerySchema = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: MAX_QUERY, description: 'What has been typed so far' })),
    limit: Type.Optional(Type.String({ pattern: '^(20|1[0-9]|[1-9])?$', description: 'Completions, 1 to 20 (default 8)' })),
  },
  { additionalProperties: true },
);

export const SuggestionsSchema = Type.Array(
  Type.Object({
    text: Type.String(),
    kind: Type.Union([Type.Literal('title'), Type.Literal('artist'), Type.Literal('venue')]),
    id: Type.Optional(Type.String({ description: 'The run, for a title' })),
  }),
);
