import { LRUCache } from 'lru-cache';
import type { Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { kstDate } from '../../platform/kst.js';
import { type PendingEvents, TOPICS } from '../../pipeline/index.js';
import type { CatalogReader } from '../catalog/index.js';
import { type AnalyticsEngine, AnalyticsUnavailable, type DeviceClass } from './analytics-engine.js';
import { type DayRange, resolveRange } from './dashboard-range.js';

/** What a dashboard request asks for: KST days `YYYY-MM-DD` (both optional) and a list length. */
export interface FigureQuery {
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
  /** The demo's synthetic views (activity, views): left out unless `include` (ADR 8). */
  syntheticViews?: 'include' | 'exclude' | undefined;
}

/** Whether an answer counted the demo's synthetic views, and how many the range holds. */
export interface SyntheticViews {
  shown: boolean;
  events: number;
}

export const DEFAULT_LIMIT = 20;
/** Most liked runs shown when the request names no list length. */
export const DEFAULT_LIKED_RUNS = 10;

/** Vendor names by `site_id` (docs/contract.md §1); later vendors show their number. */
const VENDOR_NAMES: Record<number, string> = { 1: '인터파크 티켓', 2: '예스24 티켓', 3: '티켓링크' };
const DEVICES: readonly DeviceClass[] = ['mobile', 'desktop', 'other'];
/** Most cached answers kept (each range and list length is one). */
const CACHE_ENTRIES = 200;

interface Period {
  from: string;
  to: string;
}

export interface ActivityFigures extends Period {
  synthetic_views: SyntheticViews;
  /** Every day of the range, with a count for every topic (0 included). */
  events_per_day: { day: string; total: number; topics: Record<string, number> }[];
  active_users: { day: string; users: number }[];
  devices: { device: DeviceClass; events: number }[];
  /** Every day × hour (KST) of the range. */
  hours: { day: string; hour: number; events: number }[];
}

export interface SearchFigures extends Period {
  searches: number;
  no_result_searches: number;
  top_keywords: { keyword: string; searches: number }[];
  no_result_keywords: { keyword: string; searches: number }[];
}

export interface ViewFigures extends Period {
  synthetic_views: SyntheticViews;
  views: number;
  top_runs: { ticket_id: string; title: string; category: string; views: number }[];
  categories: { category: string; views: number }[];
  /** Views of the runs each vendor sells; a run sold by two vendors counts for both. `site_id` null: runs no longer in the catalogue. */
  vendors: { site_id: number | null; name: string; views: number; share: number }[];
}

export interface AccountFigures extends Period {
  per_day: { day: string; signups: number; logins: number; kakao_logins: number; failed_logins: number }[];
  funnel: { signups: number; logged_in: number; rate: number; median_minutes_to_first_login: number | null };
}

export interface LikeFigures extends Period {
  /** Likes added (changed) and removed in the range. */
  likes: number;
  unlikes: number;
  /** Every day of the range. */
  per_day: { day: string; likes: number; unlikes: number }[];
  /** Runs with net likes (likes − unlikes) above 0 in the range, most first. */
  top_runs: { ticket_id: string; title: string; category: string; likes: number; unlikes: number; net_likes: number }[];
}

/** What is not in the lake yet (see `PendingFigures`): the answer is about this moment, never cached. */
export interface PendingFigures {
  at: string;
  bus: 'embedded' | 'kafka';
  /** `this-process`: the sink runs in this process; `elsewhere`: in another (TICKETMOA_SINK=off, `ticketmoa sink`). */
  sink: 'this-process' | 'elsewhere';
  /** Events known not to be in the lake: the outbox on the embedded bus; null on Kafka (Kafka and the sinks hold the rest). */
  not_in_lake: number | null;
  outbox: { events: number; oldest_event_at: string | null; topics: Record<string, number> };
  sink_buffers: {
    events: number;
    max_events: number;
    max_age_ms: number;
    next_write_at: string | null;
    next_write_in_ms: number | null;
    topics: { topic: string; events: number; waiting_since: string; write_at: string; write_in_ms: number }[];
  } | null;
}

export interface DashboardDeps {
  engine: AnalyticsEngine;
  catalog: Pick<CatalogReader, 'summaryOf'>;
  clock: Clock;
  /** How long an answer is reused; 0 = computed for every request. */
  cacheMs: number;
  /** Milliseconds of a monotonic clock for the cache: answers age even under a frozen TICKETMOA_NOW. */
  monotonicMs?: () => number;
  /** Events not yet in the lake, from the event log (undefined: none are recorded here). */
  pending?: () => PendingEvents;
  /**
   * Files written to the lake by a sink in this process: when it changes, cached answers are not
   * reused, so a newcomer's own actions show as soon as they are written (a sink elsewhere: the
   * answers age out after `cacheMs`).
   */
  lakeWrites?: () => number;
}

const ratio = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000);

/**
 * The admin dashboard's figures over a range of KST days, from the lake through the analytics
 * engine, completed with the catalogue (current titles, vendors). Answers are kept briefly, and
 * concurrent requests for the same figure share one computation.
 */
export class DashboardService {
  private readonly cache: LRUCache<string, Promise<unknown>> | undefined;

  constructor(private readonly deps: DashboardDeps) {
    const now = deps.monotonicMs;
    this.cache =
      deps.cacheMs > 0 ? new LRUCache({ max: CACHE_ENTRIES, ttl: deps.cacheMs, ttlResolution: 0, ...(now ? { perf: { now } } : {}) }) : undefined;
  }

  range(query: FigureQuery): DayRange {
    return resolveRange(kstDate(this.deps.clock.now()), query.from, query.to);
  }

  activity(query: FigureQuery): Promise<ActivityFigures> {
    const range = this.range(query);
    const shown = query.syntheticViews === 'include';
    return this.cached(`activity:${range.from}:${range.to}:${shown}`, async () => {
      const rows = await this.deps.engine.activity(range.instants, { hideSynthetic: !shown });
      const perDay = new Map(range.days.map((day) => [day, Object.fromEntries(TOPICS.map((t) => [t, 0])) as Record<string, number>]));
      for (const r of rows.eventsPerDay) {
        const topics = perDay.get(r.day);
        if (topics) topics[r.topic] = (topics[r.topic] ?? 0) + r.events;
      }
      const users = new Map(rows.activeUsers.map((r) => [r.day, r.count]));
      const hours = new Map(rows.hours.map((r) => [`${r.day} ${r.hour}`, r.events]));
      const devices = new Map(rows.devices.map((r) => [r.device, r.events]));
      return {
        from: range.from,
        to: range.to,
        synthetic_views: { shown, events: rows.syntheticViews ?? 0 },
        events_per_day: [...perDay].map(([day, topics]) => ({ day, total: Object.values(topics).reduce((a, b) => a + b, 0), topics })),
        active_users: range.days.map((day) => ({ day, users: users.get(day) ?? 0 })),
        devices: DEVICES.map((device) => ({ device, events: devices.get(device) ?? 0 })),
        hours: range.days.flatMap((day) => Array.from({ length: 24 }, (_, hour) => ({ day, hour, events: hours.get(`${day} ${hour}`) ?? 0 }))),
      };
    });
  }

  searches(query: FigureQuery): Promise<SearchFigures> {
    const range = this.range(query);
    const limit = query.limit ?? DEFAULT_LIMIT;
    return this.cached(`searches:${range.from}:${range.to}:${limit}`, async () => {
      const rows = await this.deps.engine.searches(range.instants, limit);
      return {
        from: range.from,
        to: range.to,
        searches: rows.searches,
        no_result_searches: rows.noResultSearches,
        top_keywords: rows.topKeywords,
        no_result_keywords: rows.noResultKeywords,
      };
    });
  }

  views(query: FigureQuery): Promise<ViewFigures> {
    const range = this.range(query);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const shown = query.syntheticViews === 'include';
    return this.cached(`views:${range.from}:${range.to}:${limit}:${shown}`, async () => {
      const rows = await this.deps.engine.views(range.instants, { hideSynthetic: !shown });
      const total = rows.runs.reduce((sum, r) => sum + r.views, 0);
      const perVendor = new Map<number | null, number>();
      for (const run of rows.runs) {
        const sites = this.deps.catalog.summaryOf(run.ticketId)?.sites ?? [];
        for (const site of sites.length > 0 ? sites : [null]) perVendor.set(site, (perVendor.get(site) ?? 0) + run.views);
      }
      return {
        from: range.from,
        to: range.to,
        synthetic_views: { shown, events: rows.syntheticViews ?? 0 },
        views: total,
        top_runs: rows.runs.slice(0, limit).map((r) => {
          const now = this.deps.catalog.summaryOf(r.ticketId);
          return { ticket_id: r.ticketId, title: now?.title ?? r.title ?? r.ticketId, category: now?.category ?? r.category ?? '', views: r.views };
        }),
        categories: rows.perCategory,
        vendors: [...perVendor]
          .sort(([a], [b]) => (a ?? Infinity) - (b ?? Infinity))
          .map(([site, views]) => ({
            site_id: site,
            name: site === null ? '카탈로그에 없음' : (VENDOR_NAMES[site] ?? `판매처 ${site}`),
            views,
            share: ratio(views, total),
          })),
      };
    });
  }

  accounts(query: FigureQuery): Promise<AccountFigures> {
    const range = this.range(query);
    return this.cached(`accounts:${range.from}:${range.to}`, async () => {
      const rows = await this.deps.engine.accounts(range.instants);
      const byDay = new Map(rows.perDay.map((r) => [r.day, r]));
      const { funnel } = rows;
      return {
        from: range.from,
        to: range.to,
        per_day: range.days.map((day) => {
          const r = byDay.get(day);
          return { day, signups: r?.signups ?? 0, logins: r?.logins ?? 0, kakao_logins: r?.kakaoLogins ?? 0, failed_logins: r?.failedLogins ?? 0 };
        }),
        funnel: {
          signups: funnel.signups,
          logged_in: funnel.loggedIn,
          rate: ratio(funnel.loggedIn, funnel.signups),
          median_minutes_to_first_login: funnel.medianMinutesToFirstLogin === null ? null : Math.round(funnel.medianMinutesToFirstLogin * 10) / 10,
        },
      };
    });
  }

  likes(query: FigureQuery): Promise<LikeFigures> {
    const range = this.range(query);
    const limit = query.limit ?? DEFAULT_LIKED_RUNS;
    return this.cached(`likes:${range.from}:${range.to}:${limit}`, async () => {
      const rows = await this.deps.engine.likes(range.instants, limit);
      const byDay = new Map(rows.perDay.map((r) => [r.day, r]));
      const perDay = range.days.map((day) => ({ day, likes: byDay.get(day)?.likes ?? 0, unlikes: byDay.get(day)?.unlikes ?? 0 }));
      return {
        from: range.from,
        to: range.to,
        likes: perDay.reduce((sum, d) => sum + d.likes, 0),
        unlikes: perDay.reduce((sum, d) => sum + d.unlikes, 0),
        per_day: perDay,
        top_runs: rows.runs.map((r) => {
          const now = this.deps.catalog.summaryOf(r.ticketId);
          return {
            ticket_id: r.ticketId,
            title: now?.title ?? r.title ?? r.ticketId,
            category: now?.category ?? r.category ?? '',
            likes: r.likes,
            unlikes: r.unlikes,
            net_likes: r.net,
          };
        }),
      };
    });
  }

  /**
   * What is not in the lake yet and when the sink writes it: a buffer is written once it holds
   * `max_events`, or once its oldest event has waited `max_age_ms` (checked every second).
   */
  pending(): PendingFigures {
    const now = this.deps.clock.now();
    const p = this.deps.pending?.() ?? {
      bus: 'embedded' as const,
      outbox: { events: 0, perTopic: Object.fromEntries(TOPICS.map((t) => [t, 0])) as Record<string, number>, oldestTimestamp: undefined },
      sink: undefined,
    };
    const sink = p.sink;
    let buffers: PendingFigures['sink_buffers'] = null;
    if (sink) {
      // a topic's partitions together: its first write is its oldest buffer's
      const perTopic = new Map<string, { events: number; since: number }>();
      for (const b of sink.buffers) {
        const t = perTopic.get(b.topic);
        perTopic.set(b.topic, { events: (t?.events ?? 0) + b.events, since: Math.min(t?.since ?? Infinity, b.waitingSince) });
      }
      const topics = [...perTopic]
        .map(([topic, t]) => {
          const writeAt = t.since + sink.maxAgeMs;
          return {
            topic,
            events: t.events,
            waiting_since: new Date(t.since).toISOString(),
            write_at: new Date(writeAt).toISOString(),
            write_in_ms: Math.max(0, writeAt - now.getTime()),
          };
        })
        .sort((a, b) => a.write_at.localeCompare(b.write_at) || a.topic.localeCompare(b.topic));
      const next = topics[0];
      buffers = {
        events: topics.reduce((n, t) => n + t.events, 0),
        max_events: sink.maxEvents,
        max_age_ms: sink.maxAgeMs,
        next_write_at: next?.write_at ?? null,
        next_write_in_ms: next?.write_in_ms ?? null,
        topics,
      };
    }
    return {
      at: now.toISOString(),
      bus: p.bus,
      sink: sink ? 'this-process' : 'elsewhere',
      not_in_lake: p.bus === 'embedded' ? p.outbox.events : null,
      outbox: { events: p.outbox.events, oldest_event_at: p.outbox.oldestTimestamp ?? null, topics: p.outbox.perTopic },
      sink_buffers: buffers,
    };
  }

  private cached<T>(figure: string, compute: () => Promise<T>): Promise<T> {
    const key = `${this.deps.lakeWrites?.() ?? 0}:${figure}`;
    const hit = this.cache?.get(key) as Promise<T> | undefined;
    if (hit) return hit;
    const answer = compute().catch((err: unknown) => {
      this.cache?.delete(key);
      if (err instanceof AnalyticsUnavailable) throw new AppError(503, err.message, { reason: err.reason });
      throw err;
    });
    this.cache?.set(key, answer);
    return answer;
  }
}
