import { Type } from 'typebox';
import { TOPICS } from '../../pipeline/index.js';

const DAY = Type.String({ description: 'KST day YYYY-MM-DD' });
const COUNT = Type.Integer({ minimum: 0 });

export const RangeQuerySchema = Type.Object(
  {
    from: Type.Optional(Type.String({ maxLength: 10, description: 'First KST day, YYYY-MM-DD (default: six days before `to`)' })),
    to: Type.Optional(Type.String({ maxLength: 10, description: 'Last KST day, YYYY-MM-DD, included (default: today, KST)' })),
  },
  { additionalProperties: true },
);

export const RankedQuerySchema = Type.Object(
  {
    ...RangeQuerySchema.properties,
    limit: Type.Optional(Type.String({ pattern: '^(200|1[0-9]{2}|[1-9][0-9]?)?$', description: 'Rows of each ranking, 1 to 200 (default 20)' })),
  },
  { additionalProperties: true },
);

const SYNTHETIC_QUERY = {
  synthetic_views: Type.Optional(
    Type.String({
      pattern: '^(include|exclude)?$',
      description:
        "The demo's synthetic views (marked in the lake, ADR 8): `exclude` (default) leaves them out of the figures, `include` counts them",
    }),
  ),
};

/** The range, and whether the demo's synthetic views count (the figures with views: activity). */
export const ActivityQuerySchema = Type.Object({ ...RangeQuerySchema.properties, ...SYNTHETIC_QUERY }, { additionalProperties: true });

const PERIOD = { from: DAY, to: DAY };
const SYNTHETIC_VIEWS = Type.Object(
  {
    shown: Type.Boolean({ description: 'Whether the figures count them (synthetic_views=include)' }),
    events: Type.Integer({ minimum: 0, description: "The demo's synthetic views in the range, counted or not" }),
  },
  { description: "The demo's synthetic views (ADR 8)" },
);
const KEYWORDS = Type.Array(Type.Object({ keyword: Type.String(), searches: COUNT }));

export const ActivitySchema = Type.Object({
  ...PERIOD,
  synthetic_views: SYNTHETIC_VIEWS,
  events_per_day: Type.Array(
    Type.Object({
      day: DAY,
      total: COUNT,
      topics: Type.Object(Object.fromEntries(TOPICS.map((t) => [t, COUNT])), { description: 'Events of each topic that day' }),
    }),
  ),
  active_users: Type.Array(Type.Object({ day: DAY, users: COUNT }), { description: 'Distinct signed-in users per day (anonymous excluded)' }),
  devices: Type.Array(Type.Object({ device: Type.Union([Type.Literal('mobile'), Type.Literal('desktop'), Type.Literal('other')]), events: COUNT }), {
    description: 'Events by the User-Agent: mobile (phones and tablets), desktop, other (bots, tools, none)',
  }),
  hours: Type.Array(Type.Object({ day: DAY, hour: Type.Integer({ minimum: 0, maximum: 23 }), events: COUNT }), {
    description: 'Events per day and KST hour, every hour of the range',
  }),
});

export const SearchesSchema = Type.Object({
  ...PERIOD,
  searches: COUNT,
  no_result_searches: Type.Integer({ minimum: 0, description: 'Searches with a keyword that found nothing' }),
  top_keywords: KEYWORDS,
  no_result_keywords: KEYWORDS,
});

export const ViewsSchema = Type.Object({
  ...PERIOD,
  synthetic_views: SYNTHETIC_VIEWS,
  views: COUNT,
  top_runs: Type.Array(Type.Object({ ticket_id: Type.String(), title: Type.String(), category: Type.String(), views: COUNT })),
  categories: Type.Array(Type.Object({ category: Type.String(), views: COUNT })),
  vendors: Type.Array(
    Type.Object({
      site_id: Type.Union([Type.Integer(), Type.Null()]),
      name: Type.String(),
      views: COUNT,
      share: Type.Number({ description: 'views / all views; a run sold by several vendors counts for each' }),
    }),
  ),
});

export const ViewsQuerySchema = Type.Object({ ...RankedQuerySchema.properties, ...SYNTHETIC_QUERY }, { additionalProperties: true });

export const LikedRunsQuerySchema = Type.Object(
  {
    ...RangeQuerySchema.properties,
    limit: Type.Optional(Type.String({ pattern: '^(200|1[0-9]{2}|[1-9][0-9]?)?$', description: 'Most liked runs listed, 1 to 200 (default 10)' })),
  },
  { additionalProperties: true },
);

export const LikesSchema = Type.Object({
  ...PERIOD,
  likes: Type.Integer({ minimum: 0, description: 'Likes that added a like (Like_log action like, status changed)' }),
  unlikes: Type.Integer({ minimum: 0, description: 'Unlikes that removed a like (action unlike, status changed)' }),
  per_day: Type.Array(Type.Object({ day: DAY, likes: COUNT, unlikes: COUNT }), { description: 'Every KST day of the range' }),
  top_runs: Type.Array(
    Type.Object({
      ticket_id: Type.String(),
      title: Type.String(),
      category: Type.String(),
      likes: COUNT,
      unlikes: COUNT,
      net_likes: Type.Integer({ minimum: 1, description: 'likes − unlikes in the range' }),
    }),
    { description: 'Runs with more likes than unlikes in the range, most net likes first' },
  ),
});

export const AccountsSchema = Type.Object({
  ...PERIOD,
  per_day: Type.Array(Type.Object({ day: DAY, signups: COUNT, logins: COUNT, kakao_logins: COUNT, failed_logins: COUNT })),
  funnel: Type.Object({
    signups: COUNT,
    logged_in: Type.Integer({ minimum: 0, description: 'Of the sign-ups, accounts that logged in afterwards (within the range)' }),
    rate: Type.Number(),
    median_minutes_to_first_login: Type.Union([Type.Number(), Type.Null()]),
  }),
});

export const PendingQuerySchema = Type.Object({}, { additionalProperties: true });

const INSTANT = Type.String({ description: 'ISO 8601 instant' });
const TOPIC_COUNTS = Type.Object(Object.fromEntries(TOPICS.map((t) => [t, COUNT])), { description: 'Per topic' });

export const PendingSchema = Type.Object({
  at: INSTANT,
  bus: Type.Union([Type.Literal('embedded'), Type.Literal('kafka')], { description: 'EVENT_BUS' }),
  sink: Type.Union([Type.Literal('this-process'), Type.Literal('elsewhere')], {
    description:
      'Where the sink runs: in this process (serve), or elsewhere (TICKETMOA_SINK=off: `ticketmoa sink`), whose buffers this process cannot see',
  }),
  not_in_lake: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
    description:
      'Events known not to be in the lake yet: on the embedded bus every outbox row (the sink buffers among them); null on Kafka, where Kafka and the sinks hold events this process does not see',
  }),
  outbox: Type.Object(
    {
      events: COUNT,
      oldest_event_at: Type.Union([Type.String(), Type.Null()], { description: "The oldest waiting event's timestamp" }),
      topics: TOPIC_COUNTS,
    },
    { description: "This data directory's outbox: embedded, the log the sink reads (rows leave once in the lake); Kafka, events not yet forwarded" },
  ),
  sink_buffers: Type.Union(
    [
      Type.Object({
        events: Type.Integer({ minimum: 0, description: 'Events the sink holds in memory, not yet written' }),
        max_events: Type.Integer({ minimum: 1, description: 'LOG_FLUSH_MAX_EVENTS: a buffer this full is written at once' }),
        max_age_ms: Type.Integer({ minimum: 1, description: 'LOG_FLUSH_MAX_AGE_MS: a buffer is written once its oldest event has waited this long' }),
        next_write_at: Type.Union([INSTANT, Type.Null()], { description: 'When the next buffer is written by age (sooner if one fills up)' }),
        next_write_in_ms: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
        topics: Type.Array(
          Type.Object({ topic: Type.String(), events: COUNT, waiting_since: INSTANT, write_at: INSTANT, write_in_ms: Type.Integer({ minimum: 0 }) }),
          { description: 'Topics with buffered events, the first written first' },
        ),
      }),
      Type.Null(),
    ],
    { description: 'The buffers of the sink in this process; null when the sink runs elsewhere' },
  ),
});
