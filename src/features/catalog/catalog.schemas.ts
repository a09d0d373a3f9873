import { Type } from 'typebox';

const DATE_OR_EMPTY = '^(\\d{4}\\.\\d{2}\\.\\d{2})?$';

const filter = (description: string, maxLength = 100) => Type.Optional(Type.String({ maxLength, description }));

export const SearchQuerySchema = Type.Object(
  {
    keyword: filter('Literal, case-insensitive substring of the title or an artist name', 200),
    query: filter('Synonym of keyword', 200),
    category: filter('콘서트, 뮤지컬, 연극, 뮤지컬/연극 (musicals and plays), 전시/행사, …'),
    region: filter('Region group: 서울, 수도권, 경상, 전라, 강원, 충청, 제주'),
    start_date: Type.Optional(Type.String({ pattern: DATE_OR_EMPTY, description: 'YYYY.MM.DD; runs overlapping the range' })),
    end_date: Type.Optional(Type.String({ pattern: DATE_OR_EMPTY, description: 'YYYY.MM.DD; runs overlapping the range' })),
    currPage: filter('Tolerated, ignored (the frontend pages itself)', 20),
    notSale: filter('Tolerated, ignored', 20),
  },
  { additionalProperties: true },
);

export const ListItemSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  poster_url: Type.Union([Type.String(), Type.Null()]),
  location: Type.Union([Type.String(), Type.Null()]),
  start_date: Type.String(),
  end_date: Type.String(),
  category: Type.Union([Type.String(), Type.Null()]),
  onSale: Type.Boolean(),
  isExclusive: Type.Boolean(),
  is_liked: Type.Boolean({ description: 'The caller likes this run (always false without a valid token)' }),
});

export const ListSchema = Type.Array(ListItemSchema);

export const ErrorSchema = Type.Object({ detail: Type.Unknown() }, { additionalProperties: true });

export const IdParamsSchema = Type.Object({
  id: Type.String({ description: '24 lowercase hexadecimal characters' }),
});

const NullableArray = (item: ReturnType<typeof Type.Object>) => Type.Union([Type.Array(item), Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const DetailSchema = Type.Object({
  data: Type.Object({
    _id: Type.String(),
    title: Type.String(),
    duplicatekey: Type.String(),
    category: NullableString,
    location: NullableString,
    region: NullableString,
    price: NullableArray(Type.Object({ seat: NullableString, price: Type.Union([Type.String(), Type.Number(), Type.Null()]) })),
    start_date: Type.String(),
    end_date: Type.String({ description: 'YYYY.MM.DD or 상시공연 (open run)' }),
    running_time: NullableString,
    rating: NullableString,
    casting: NullableArray(Type.Object({ actor: NullableString, role: NullableString })),
    artist: NullableArray(Type.Object({ artist_name: NullableString, artist_url: NullableString })),
    description: NullableString,
    poster_url: NullableString,
    open_date: NullableString,
    pre_open_date: NullableString,
    hosts: Type.Array(Type.Object({ site_id: Type.Integer(), ticket_url: NullableString })),
  }),
});

export const ExclusiveMainSchema = Type.Array(Type.Object({ _id: Type.Integer(), items: ListSchema }));

export const WeekendQuerySchema = Type.Object(
  {
    per_category: Type.Optional(
      Type.String({ pattern: '^(1000|[1-9][0-9]{0,2})?$', description: 'Runs per category, 1 to 1000 (default 12; empty means the default)' }),
    ),
  },
  { additionalProperties: true },
);

export const ExclusiveAllQuerySchema = Type.Object(
  {
    site_id: Type.Optional(Type.String({ pattern: '^(\\d{1,6})?$', description: 'Vendor id (1 인터파크, 2 예스24, 3 티켓링크)' })),
    currPage: filter('Tolerated, ignored', 20),
  },
  { additionalProperties: true },
);
