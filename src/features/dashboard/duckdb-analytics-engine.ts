import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { TOPICS, type Topic } from '../../pipeline/index.js';
import {
  type AccountRows,
  type ActivityRows,
  type AnalyticsEngine,
  AnalyticsUnavailable,
  type DeviceClass,
  type InstantRange,
  type LikeRows,
  type SearchRows,
  type SyntheticOption,
  type ViewRows,
} from './analytics-engine.js';
import type { LakeFiles } from './local-lake-files.js';
import { ACTIVITY_SQL, ACCOUNTS_SQL, eventSource, LIKES_SQL, SEARCHES_SQL, SYNTHETIC_SQL, VIEWS_SQL } from './duckdb-queries.js';

export interface DuckDbEngineOptions {
  files: LakeFiles;
  /** Longest one figure (listing, copying and every statement) may take; the statement running then is interrupted. */
  timeoutMs: number;
  /**
   * DuckDB's own worker threads (it never runs a query on Node's event loop). Default 1: on the
   * two-core machines the API keeps a core while an admin's query runs (ADR 7).
   */
  threads?: number;
  memoryLimit?: string;
  /** The `device` that marks the demo's synthetic views (ADR 8); without it none are told apart. */
  syntheticDevice?: string;
}

type Row = Record<string, unknown>;
type Params = Record<string, string | number>;

/** One job's statements, run in order on the engine's connection. */
interface Session {
  all(sql: string, params?: Params): Promise<Row[]>;
  run(sql: string, params?: Params): Promise<void>;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const optStr = (v: unknown): string | null => (typeof v === 'string' ? v : null);

const ALL_TOPICS: readonly Topic[] = TOPICS;
const ACCOUNT_TOPICS: readonly Topic[] = ['Signup_log', 'Login_log', 'KakaoLogin_log', 'Validate'];

/**
 * The dashboard's figures computed by DuckDB over the lake's Parquet files. The native module is
 * loaded on the first query, so processes that never open the dashboard never load it. Figures
 * run one at a time on one connection, on DuckDB's own threads, each under a deadline.
 */
export function createDuckDbAnalyticsEngine(options: DuckDbEngineOptions): AnalyticsEngine {
  let opened: Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const open = () =>
    (opened ??= (async () => {
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const instance = await DuckDBInstance.create(':memory:', {
        threads: String(options.threads ?? 1),
        memory_limit: options.memoryLimit ?? '1GB',
        // nothing is fetched from the network: the parquet and icu extensions are built in
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
      });
      const connection = await instance.connect();
      await connection.run("SET TimeZone = 'Asia/Seoul'");
      return { instance, connection };
    })().catch((err: unknown) => {
      opened = undefined;
      throw err;
    }));

  /**
   * Runs `work` after the jobs before it. The deadline counts from the call: when it passes, the
   * caller gets the timeout at once and the statement running is interrupted; the next job waits
   * until this one has really stopped, so two never share the connection.
   */
  const job = <T>(
    label: string,
    topics: readonly Topic[],
    range: InstantRange,
    work: (s: Session, files: Map<Topic, string[]>) => Promise<T>,
  ): Promise<T> => {
    let expired = false;
    let connection: DuckDBConnection | undefined;
    let fail: (err: unknown) => void = () => undefined;
    const deadline = new Promise<never>((_, reject) => {
      fail = reject;
    });
    const timer = setTimeout(() => {
      expired = true;
      connection?.interrupt();
      fail(timeout(label, options.timeoutMs));
    }, options.timeoutMs);
    const check = () => {
      if (expired) throw timeout(label, options.timeoutMs);
    };
    const session: Session = {
      async all(sql, params) {
        check();
        const result = await connection!.run(sql, params);
        const rows: Row[] = [];
        // chunk by chunk: each conversion is small, and the loop gets a turn between them
        for await (const chunk of result.yieldRowObjectJson()) rows.push(...chunk);
        check();
        return rows;
      },
      async run(sql, params) {
        check();
        await connection!.run(sql, params);
      },
    };
    const run = queue.then(async () => {
      check(); // timed out while waiting its turn: the caller has its answer already
      try {
        connection = (await open()).connection;
        // only the files whose names say they can hold events of the range (ADR 18)
        const files = await options.files.filesOf(topics, range);
        return await work(session, files);
      } catch (err) {
        if (expired) throw timeout(label, options.timeoutMs);
        if (err instanceof AnalyticsUnavailable) throw err;
        throw new AnalyticsUnavailable('failed', `reading the lake for ${label} failed: ${(err as Error).message}`, { cause: err });
      } finally {
        clearTimeout(timer);
        await connection?.run('DROP TABLE IF EXISTS ev').catch(() => undefined);
        connection = undefined;
      }
    });
    queue = run.catch(() => undefined);
    return Promise.race([run, deadline]);
  };

  const rangeParams = (range: InstantRange): Params => ({ start: range.start.toISOString(), end: range.end.toISOString() });

  /** Loads the range's events of `topics` (each event once) into the temp table `ev`. */
  const load = async (s: Session, files: Map<Topic, string[]>, range: InstantRange, topics: readonly Topic[], extra: readonly string[]) => {
    const parts = topics.map((t) => eventSource(t, files.get(t) ?? [], extra));
    await s.run(`CREATE OR REPLACE TEMP TABLE ev AS ${parts.join(' UNION ALL ')}`, rangeParams(range));
  };

  /** Counts the demo's synthetic views loaded in `ev`, and removes them when they are to be hidden. */
  const synthetic = async (s: Session, option: SyntheticOption | undefined): Promise<number> => {
    const mark = options.syntheticDevice;
    if (mark === undefined) return 0;
    const [row] = await s.all(SYNTHETIC_SQL.count, { mark });
    if (option?.hideSynthetic) await s.run(SYNTHETIC_SQL.remove, { mark });
    return num(row?.views);
  };

  return {
    activity: (range, option) =>
      job('activity', ALL_TOPICS, range, async (s, files): Promise<ActivityRows> => {
        await load(s, files, range, ALL_TOPICS, []);
        const syntheticViews = await synthetic(s, option);
        const [perDay, users, devices, hours] = [
          await s.all(ACTIVITY_SQL.perDay),
          await s.all(ACTIVITY_SQL.activeUsers),
          await s.all(ACTIVITY_SQL.devices),
          await s.all(ACTIVITY_SQL.hours),
        ];
        return {
          syntheticViews,
          eventsPerDay: perDay.map((r) => ({ day: str(r.day), topic: str(r.topic), events: num(r.events) })),
          activeUsers: users.map((r) => ({ day: str(r.day), count: num(r.users) })),
          devices: devices.map((r) => ({ device: str(r.device) as DeviceClass, events: num(r.events) })),
          hours: hours.map((r) => ({ day: str(r.day), hour: num(r.hour), events: num(r.events) })),
        };
      }),
    searches: (range, limit) =>
      job('searches', ['Search_log'], range, async (s, files): Promise<SearchRows> => {
        await load(s, files, range, ['Search_log'], ['keyword', 'result_count']);
        const [totals] = await s.all(SEARCHES_SQL.totals);
        const top = await s.all(SEARCHES_SQL.topKeywords, { limit });
        const none = await s.all(SEARCHES_SQL.noResultKeywords, { limit });
        const keywords = (rows: Row[]) => rows.map((r) => ({ keyword: str(r.keyword), searches: num(r.searches) }));
        return {
          searches: num(totals?.searches),
          noResultSearches: num(totals?.no_result),
          topKeywords: keywords(top),
          noResultKeywords: keywords(none),
        };
      }),
    views: (range, option) =>
      job('views', ['View_detail_log'], range, async (s, files): Promise<ViewRows> => {
        await load(s, files, range, ['View_detail_log'], ['ticket_id', 'title', 'category']);
        const syntheticViews = await synthetic(s, option);
        const runs = await s.all(VIEWS_SQL.runs);
        const categories = await s.all(VIEWS_SQL.categories);
        return {
          syntheticViews,
          runs: runs.map((r) => ({ ticketId: str(r.ticket_id), title: optStr(r.title), category: optStr(r.category), views: num(r.views) })),
          perCategory: categories.map((r) => ({ category: str(r.category), views: num(r.views) })),
        };
      }),
    accounts: (range) =>
      job('accounts', ACCOUNT_TOPICS, range, async (s, files): Promise<AccountRows> => {
        await load(s, files, range, ACCOUNT_TOPICS, ['status', 'requested_id']);
        const perDay = await s.all(ACCOUNTS_SQL.perDay);
        const [funnel] = await s.all(ACCOUNTS_SQL.funnel);
        return {
          perDay: perDay.map((r) => ({
            day: str(r.day),
            signups: num(r.signups),
            logins: num(r.logins),
            kakaoLogins: num(r.kakao_logins),
            failedLogins: num(r.failed_logins),
          })),
          funnel: {
            signups: num(funnel?.signups),
            loggedIn: num(funnel?.logged_in),
            medianMinutesToFirstLogin: funnel?.median_minutes === null || funnel?.median_minutes === undefined ? null : num(funnel.median_minutes),
          },
        };
      }),
    likes: (range, limit) =>
      job('likes', ['Like_log'], range, async (s, files): Promise<LikeRows> => {
        await load(s, files, range, ['Like_log'], ['ticket_id', 'title', 'category', 'status']);
        const perDay = await s.all(LIKES_SQL.perDay);
        const runs = await s.all(LIKES_SQL.runs, { limit });
        return {
          perDay: perDay.map((r) => ({ day: str(r.day), likes: num(r.likes), unlikes: num(r.unlikes) })),
          runs: runs.map((r) => ({
            ticketId: str(r.ticket_id),
            title: optStr(r.title),
            category: optStr(r.category),
            likes: num(r.likes),
            unlikes: num(r.unlikes),
            net: num(r.net),
          })),
        };
      }),
    async close() {
      const db = opened;
      opened = undefined;
      if (!db) return;
      await queue;
      const { instance, connection } = await db.catch(() => ({ instance: undefined, connection: undefined }));
      connection?.closeSync();
      instance?.closeSync();
    },
  };
}

function timeout(label: string, ms: number): AnalyticsUnavailable {
  return new AnalyticsUnavailable('timeout', `reading the lake for ${label} took longer than ${ms} ms (ADMIN_QUERY_TIMEOUT_MS)`);
}
