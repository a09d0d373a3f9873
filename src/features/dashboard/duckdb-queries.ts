import type { Topic } from '../../pipeline/index.js';

/**
 * The dashboard's SQL (DuckDB dialect), over a temp table `ev` that `eventSource` fills: one row
 * per event of the range, each `event_id` once, with `kst` = the event's KST wall-clock time.
 */

/** Per-topic columns the queries use, with their DuckDB types (docs/lake.md). */
const EXTRA_TYPES: Record<string, string> = {
  keyword: 'VARCHAR',
  result_count: 'INTEGER',
  ticket_id: 'VARCHAR',
  title: 'VARCHAR',
  category: 'VARCHAR',
  status: 'VARCHAR',
  requested_id: 'VARCHAR',
};

/** Which of those columns each topic's files have. */
const TOPIC_COLUMNS: Record<Topic, readonly string[]> = {
  Search_log: ['keyword', 'category', 'result_count'],
  View_detail_log: ['ticket_id', 'title', 'category'],
  Signup_log: ['status', 'requested_id'],
  Validate: ['status'],
  Login_log: ['status'],
  Logout_log: ['status'],
  KakaoLogin_log: ['status'],
  KakaoLogout_log: ['status'],
  Like_log: ['ticket_id', 'title', 'category', 'status'],
};

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

// read_parquet treats every list entry as a glob: a hand-copied file with one of these in its
// name would match other files; the sink never writes such names
const GLOB = /[*?[\]{}]/;

/**
 * One topic's events in `[$start, $end)`, each `event_id` once (Kafka may deliver an event twice),
 * with the common columns and `extra` (null where the topic has no such column).
 */
export function eventSource(topic: Topic, files: readonly string[], extra: readonly string[]): string {
  const usable = files.filter((f) => !GLOB.test(f));
  // [expression over the files, its type] per output column
  const columns: [name: string, expression: string, type: string][] = [
    ['topic', literal(topic), 'VARCHAR'],
    ['event_id', 'event_id', 'VARCHAR'],
    ['"timestamp"', '"timestamp"', 'TIMESTAMPTZ'],
    ['kst', 'timezone(\'Asia/Seoul\', "timestamp")', 'TIMESTAMP'],
    ['user_id', 'user_id', 'VARCHAR'],
    ['device', 'device', 'VARCHAR'],
    ['action', 'action', 'VARCHAR'],
    ...extra.map((c): [string, string, string] => [c, TOPIC_COLUMNS[topic].includes(c) ? c : 'NULL', EXTRA_TYPES[c] ?? 'VARCHAR']),
  ];
  const inRange = (ts: string) => `${ts} >= $start::TIMESTAMPTZ AND ${ts} < $end::TIMESTAMPTZ`;
  if (usable.length === 0) {
    // no file yet: an empty relation of the same shape (it still names the parameters)
    const empty = columns.map(([name, , type]) => `NULL::${type} AS ${name}`).join(', ');
    return `(SELECT ${empty} WHERE false AND ${inRange('NULL::TIMESTAMPTZ')})`;
  }
  const select = columns.map(([name, expression, type]) => `(${expression})::${type} AS ${name}`).join(', ');
  return `(SELECT ${select} FROM read_parquet([${usable.map(literal).join(', ')}], union_by_name = true)
    WHERE ${inRange('"timestamp"')} AND event_id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY event_id) = 1)`;
}

const DAY = "strftime(kst, '%Y-%m-%d')";

export const ACTIVITY_SQL = {
  perDay: `SELECT ${DAY} AS day, topic, count(*) AS events FROM ev GROUP BY ALL ORDER BY day, topic`,
  activeUsers: `SELECT ${DAY} AS day, count(DISTINCT user_id) AS users FROM ev
    WHERE user_id IS NOT NULL AND user_id NOT IN ('', 'anonymous') GROUP BY day ORDER BY day`,
  // Tablets count as mobile; Android's User-Agent also names Linux, so mobile is tested first.
  devices: `SELECT CASE
      WHEN regexp_matches(coalesce(device, ''), 'mobi|android|iphone|ipad|ipod|windows phone', 'i') THEN 'mobile'
      WHEN regexp_matches(coalesce(device, ''), 'windows nt|macintosh|x11|linux|cros', 'i') THEN 'desktop'
      ELSE 'other' END AS device, count(*) AS events
    FROM ev GROUP BY 1 ORDER BY 1`,
  hours: `SELECT ${DAY} AS day, hour(kst) AS hour, count(*) AS events FROM ev GROUP BY ALL ORDER BY day, hour`,
};

const HAS_KEYWORD = "trim(coalesce(keyword, '')) <> ''";

export const SEARCHES_SQL = {
  totals: `SELECT count(*) AS searches, count(*) FILTER (WHERE ${HAS_KEYWORD} AND result_count = 0) AS no_result FROM ev`,
  topKeywords: `SELECT lower(trim(keyword)) AS keyword, count(*) AS searches FROM ev WHERE ${HAS_KEYWORD}
    GROUP BY 1 ORDER BY searches DESC, keyword LIMIT $limit`,
  noResultKeywords: `SELECT lower(trim(keyword)) AS keyword, count(*) AS searches FROM ev WHERE ${HAS_KEYWORD} AND result_count = 0
    GROUP BY 1 ORDER BY searches DESC, keyword LIMIT $limit`,
};

export const VIEWS_SQL = {
  // the title and category a run had at its latest view
  runs: `SELECT ticket_id, arg_max(title, "timestamp") AS title, arg_max(category, "timestamp") AS category, count(*) AS views
    FROM ev WHERE coalesce(ticket_id, '') <> '' GROUP BY ticket_id ORDER BY views DESC, ticket_id`,
  categories: `SELECT coalesce(category, '') AS category, count(*) AS views FROM ev GROUP BY 1 ORDER BY views DESC, category`,
};

const LIKED = "action = 'like' AND status = 'changed'";
const UNLIKED = "action = 'unlike' AND status = 'changed'";

// Only changes count: a repeated like, or an unlike of a run not liked, is logged as `unchanged`.
export const LIKES_SQL = {
  perDay: `SELECT ${DAY} AS day, count(*) FILTER (WHERE ${LIKED}) AS likes, count(*) FILTER (WHERE ${UNLIKED}) AS unlikes
    FROM ev GROUP BY day ORDER BY day`,
  // net likes = changed likes − changed unlikes in the range; the title and category at the run's latest change
  runs: `SELECT * FROM (
      SELECT ticket_id, arg_max(title, "timestamp") AS title, arg_max(category, "timestamp") AS category,
        count(*) FILTER (WHERE ${LIKED}) AS likes, count(*) FILTER (WHERE ${UNLIKED}) AS unlikes,
        count(*) FILTER (WHERE ${LIKED}) - count(*) FILTER (WHERE ${UNLIKED}) AS net
      FROM ev WHERE coalesce(ticket_id, '') <> '' AND status = 'changed' GROUP BY ticket_id)
    WHERE net > 0 ORDER BY net DESC, likes DESC, ticket_id LIMIT $limit`,
};

export const ACCOUNTS_SQL = {
  perDay: `SELECT ${DAY} AS day,
      count(*) FILTER (WHERE topic = 'Signup_log' AND action = 'signup' AND status = 'success') AS signups,
      count(*) FILTER (WHERE topic = 'Login_log' AND status = 'success') AS logins,
      count(*) FILTER (WHERE topic = 'KakaoLogin_log' AND status = 'success') AS kakao_logins,
      count(*) FILTER (WHERE topic = 'Validate') AS failed_logins
    FROM ev GROUP BY day ORDER BY day`,
  // each account's first successful own login at or after its sign-up, within the range
  funnel: `WITH signed AS (
      SELECT requested_id AS id, min("timestamp") AS signed_at FROM ev
      WHERE topic = 'Signup_log' AND action = 'signup' AND status = 'success' AND coalesce(requested_id, '') <> ''
      GROUP BY requested_id),
    firsts AS (
      SELECT signed.id, signed.signed_at, min(l."timestamp") AS first_login FROM signed
      LEFT JOIN ev l ON l.topic = 'Login_log' AND l.status = 'success' AND l.user_id = signed.id AND l."timestamp" >= signed.signed_at
      GROUP BY signed.id, signed.signed_at)
    SELECT count(*) AS signups, count(first_login) AS logged_in,
      median(date_diff('second', signed_at, first_login)) / 60.0 AS median_minutes
    FROM firsts`,
};

// The demo's synthetic views carry `device` = the mark (ADR 8, demo-views.ts): counted, and left out on request.
const SYNTHETIC = "topic = 'View_detail_log' AND device = $mark";
export const SYNTHETIC_SQL = {
  count: `SELECT count(*) AS views FROM ev WHERE ${SYNTHETIC}`,
  remove: `DELETE FROM ev WHERE ${SYNTHETIC}`,
};
