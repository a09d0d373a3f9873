import type { Clock } from '../../platform/clock.js';
import { badRequest, unprocessable } from '../../platform/errors.js';
import { OBJECT_ID } from '../../platform/ids.js';
import { LRUCache } from 'lru-cache';
import { JsonBody } from '../../platform/json-body.js';
import { isDottedDate, kstDate } from '../../platform/kst.js';
import type { Actor, EventRecorder } from '../../pipeline/index.js';
import { KeywordIndex, normalizeForSearch } from './catalog-index.js';
import type { CatalogReader, ListOptions } from './catalog-reader.js';
import type { PerformanceStore } from './catalog.store.js';
import { BodyCache } from './body-cache.js';
import { EMPTY_LIST, indexesUpTo, inSlices, jsonArray, ListItems, upToInSlices } from './list-items.js';
import { wireDocumentJson, type PerformanceSummary } from './performance.js';
import { categoryMatches, isCurrent, isExclusive, overlaps } from './rules.js';
import { WeekendBodies, weekendGroups } from './weekend-bodies.js';

export interface SearchQuery {
  keyword?: string | undefined;
  category?: string | undefined;
  region?: string | undefined;
  start_date?: string | undefined;
  end_date?: string | undefined;
}

export const BANNER_SIZE = 11;
/** Memory for the detail bodies of recently viewed runs. */
const DETAIL_CACHE_BYTES = 32 * 1024 * 1024;
/** Bounds of the cache of search bodies (keyed by client input, so it must stay bounded). */
export const SEARCH_CACHE_BYTES = 32 * 1024 * 1024;
export const SEARCH_CACHE_ENTRIES = 10_000;
/** A home page shows four per tab: `/this_weekend` returns up to this many runs per category. */
export const WEEKEND_PER_CATEGORY = 12;
export const WEEKEND_PER_CATEGORY_MAX = 1000;
export const EXCLUSIVE_PER_VENDOR = 4;

interface Snapshot {
  version: number;
  runs: PerformanceSummary[];
  byId: Map<string, number>;
  keywords: KeywordIndex;
}

/** What a search answers: the JSON array and how many runs it holds. */
export interface SearchResult {
  body: JsonBody;
  count: number;
}

/**
 * Everything cached for one KST day and catalogue snapshot; replaced as a whole when either
 * moves, so a build that finishes late stores into the cache it started from, never a newer one.
 */
interface DayCache {
  day: string;
  snapshot: Snapshot;
  /** Each run's list item, UTF-8 encoded once: responses are assembled by copying bytes. */
  items: ListItems;
  /**
   * Whole answers by name, with their compressed forms once asked for; a build in progress is
   * shared by the requests that wait for it. The keys are fixed names, or client input checked
   * against the catalogue (`exclusive-all:<site>` only for a vendor with current exclusive runs),
   * so the map holds a bounded number of entries.
   */
  bodies: Map<string, Promise<JsonBody>>;
  /** Recent searches' answers, keyed by the normalised filters. */
  searches: BodyCache<string, SearchResult>;
  /** Searches being built, shared by identical requests that arrive meanwhile. */
  searching: Map<string, Promise<SearchResult>>;
  /** Vendors with current exclusive runs today (computed on first use). */
  exclusiveSites?: Promise<ReadonlySet<number>>;
  /** This weekend's lists, for one version of the view ranking. */
  weekend?: { ranking: number; bodies: Promise<WeekendBodies> } | undefined;
}

export interface CatalogDeps {
  store: PerformanceStore;
  clock: Clock;
  events: EventRecorder;
  /**
   * Views per run id on the last 7 KST days (runs missing count as 0). Re-read on every
   * `refresh()`; injected by the composition root so that the catalogue does not depend on the
   * feature that counts views.
   */
  viewsLast7Days?: () => Promise<ReadonlyMap<string, number>>;
  /** Bounds of the search body cache (tests make it small). */
  searchCache?: { maxBytes?: number; maxEntries?: number };
  /**
   * The `poster_url` lists and details show for a run (default: as stored). The composition root
   * makes the service's own relative poster paths absolute (PUBLIC_URL) without the catalogue
   * knowing the posters feature.
   */
  posterUrl?: (run: PerformanceSummary) => string | null;
}

const blank = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

/**
 * Read side of the catalogue. Keeps every run's summary in memory (reloaded when the store's
 * version moves, also by another process) and answers list endpoints with pre-serialised JSON:
 * list items and whole answers (with their compressed forms) are cached for the current KST day
 * and catalogue version, and long lists are built in slices of loop time.
 */
export class CatalogService implements CatalogReader {
  private snapshot: Snapshot = { version: -1, runs: [], byId: new Map(), keywords: new KeywordIndex([]) };
  private cache: DayCache;
  private readonly details = new LRUCache<string, Buffer>({ maxSize: DETAIL_CACHE_BYTES, sizeCalculation: (b) => b.length });
  private readonly searchCacheBounds: { maxBytes: number; maxEntries: number };
  private views: ReadonlyMap<string, number> = new Map();
  /** Moves whenever the 7-day view ranking read on refresh differs from the previous one. */
  private viewsVersion = 0;
  private reloading: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: CatalogDeps) {
    this.searchCacheBounds = {
      maxBytes: deps.searchCache?.maxBytes ?? SEARCH_CACHE_BYTES,
      maxEntries: deps.searchCache?.maxEntries ?? SEARCH_CACHE_ENTRIES,
    };
    this.cache = this.newDayCache('');
  }

  /**
   * Loads the catalogue if the store changed since the last load. A call made while a load is
   * running waits for one more load after it, so it sees every write committed before the call.
   */
  async refresh(): Promise<void> {
    if (this.reloading) {
      this.queued ??= this.reloading
        .catch(() => {})
        .then(() => {
          this.queued = undefined;
          return this.refresh();
        });
      return this.queued;
    }
    this.reloading = this.load().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  private async load(): Promise<void> {
    const version = await this.deps.store.version();
    if (version !== this.snapshot.version) {
      const runs = await this.deps.store.summaries();
      this.details.clear();
      this.snapshot = {
        version,
        runs,
        byId: new Map(runs.map((r, i) => [r.id, i])),
        keywords: new KeywordIndex(runs),
      };
    }
    if (this.deps.viewsLast7Days) {
      const views = await this.deps.viewsLast7Days();
      if (!sameViews(views, this.views)) {
        this.views = views;
        this.viewsVersion += 1;
      }
    }
  }

  /** Polls the store for changes made elsewhere (the import CLI, other instances). */
  startWatching(intervalMs: number, onError: (err: unknown) => void): void {
    this.timer = setInterval(() => void this.refresh().catch(onError), intervalMs);
    this.timer.unref();
  }

  stopWatching(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  today(): string {
    return kstDate(this.deps.clock.now());
  }

  has(id: string): boolean {
    return this.snapshot.byId.has(id);
  }

  summaryOf(id: string): PerformanceSummary | undefined {
    const i = this.snapshot.byId.get(id);
    return i === undefined ? undefined : this.snapshot.runs[i];
  }

  size(): number {
    return this.snapshot.runs.length;
  }

  /** Views per run on the last 7 KST days as last read (a new map whenever the counts changed). */
  viewCounts(): ReadonlyMap<string, number> {
    return this.views;
  }

  private newDayCache(day: string): DayCache {
    const snapshot = this.snapshot;
    return {
      day,
      snapshot,
      items: new ListItems(day, snapshot.runs, (r) => this.posterUrl(r)),
      bodies: new Map(),
      searches: new BodyCache({ ...this.searchCacheBounds, keyBytes: (key) => key.length * 2 }),
      searching: new Map(),
    };
  }

  private day(): DayCache {
    const day = this.today();
    if (this.cache.day !== day || this.cache.snapshot !== this.snapshot) this.cache = this.newDayCache(day);
    return this.cache;
  }

  /** The day's answer named `key`, built once (requests arriving during the build share it). */
  private cached(key: string, build: (cache: DayCache) => Promise<Buffer>): Promise<JsonBody> {
    const cache = this.day();
    let body = cache.bodies.get(key);
    if (body === undefined) {
      const building = build(cache).then((raw) => new JsonBody(raw));
      // a failed build is not kept: the next request tries again
      building.catch(() => {
        if (cache.bodies.get(key) === building) cache.bodies.delete(key);
      });
      cache.bodies.set(key, building);
      body = building;
    }
    return body;
  }

  /**
   * The complete result set as a JSON array, and its length; records the search (every time,
   * also when the body comes from a cache). The unfiltered search (the whole catalogue) is kept
   * for the day whatever its size; other searches in a cache of recent ones bounded in bytes.
   */
  async search(q: SearchQuery, actor: Actor): Promise<SearchResult> {
    const from = blank(q.start_date);
    const to = blank(q.end_date);
    for (const [name, value] of [
      ['start_date', from],
      ['end_date', to],
    ] as const) {
      if (value !== undefined && !isDottedDate(value))
        throw unprocessable({ field: `querystring.${name}`, message: 'must be a real date written YYYY.MM.DD' });
    }
    if (from !== undefined && to !== undefined && from > to)
      throw unprocessable({ field: 'querystring.start_date', message: 'must not be after end_date' });
    const filters: Filters = { keyword: blank(q.keyword), category: blank(q.category), region: blank(q.region), from, to };
    const result = await this.searchWith(this.day(), filters);
    this.deps.events.record('Search_log', 'search', actor, {
      keyword: q.keyword ?? '',
      category: q.category ?? '',
      region: q.region ?? '',
      start_date: q.start_date ?? '',
      end_date: q.end_date ?? '',
      result_count: result.count,
    });
    return result;
  }

  private async searchWith(cache: DayCache, f: Filters): Promise<SearchResult> {
    if (Object.values(f).every((v) => v === undefined)) {
      const { runs } = cache.snapshot;
      const body = await this.cached('search:all', (c) => c.items.listInSlices(indexesUpTo(runs.length)));
      return { body, count: runs.length };
    }
    // the keyword as the index compares it: 'IU' and 'iu' share one entry
    const key = JSON.stringify([f.keyword === undefined ? null : normalizeForSearch(f.keyword), f.category, f.region, f.from, f.to]);
    const hit = cache.searches.get(key);
    if (hit) return hit;
    let building = cache.searching.get(key);
    if (building === undefined) {
      building = this.runSearch(cache, f).then(({ raw, count }) => cache.searches.add(key, raw, (body) => ({ body, count })));
      cache.searching.set(key, building);
      const done = () => cache.searching.delete(key);
      building.then(done, done);
    }
    return building;
  }

  private async runSearch(cache: DayCache, f: Filters): Promise<{ raw: Buffer; count: number }> {
    const { runs, keywords } = cache.snapshot;
    const hits: number[] = [];
    const visit = (i: number) => {
      const r = runs[i]!;
      if (f.category !== undefined && !categoryMatches(r.category, f.category)) return;
      if (f.region !== undefined && r.region !== f.region) return;
      if (!overlaps(r, f.from, f.to)) return;
      hits.push(i);
    };
    await (f.keyword === undefined ? upToInSlices(runs.length, visit) : inSlices(keywords.match(f.keyword), visit));
    return { raw: await cache.items.listInSlices(hits), count: hits.length };
  }

  /** Whole bodies cached for the current day and catalogue version (banner, exclusive lists, …). */
  bodyCacheStats(): { entries: number } {
    return { entries: this.day().bodies.size };
  }

  /** Entries and bytes (bodies and their compressed forms) held by the search body cache. */
  searchCacheStats(): { entries: number; bytes: number } {
    return this.day().searches.stats();
  }

  /**
   * `{"data": {...}}` for one run, or undefined when there is no such run; records the view of
   * a run that exists.
   */
  async detail(id: string, actor: Actor): Promise<Buffer | undefined> {
    if (!OBJECT_ID.test(id)) throw badRequest('id must be 24 lowercase hexadecimal characters');
    const body = await this.documentBody(id);
    if (body === undefined) return undefined;
    const run = this.summaryOf(id);
    this.deps.events.record('View_detail_log', 'view_detail', actor, {
      ticket_id: id,
      title: run?.title ?? null,
      category: run?.category ?? null,
    });
    return body;
  }

  /** Recently viewed runs are served from memory. */
  private async documentBody(id: string): Promise<Buffer | undefined> {
    const version = this.snapshot.version;
    const hit = this.details.get(id);
    if (hit) return hit;
    const doc = await this.deps.store.documentJson(id);
    if (doc === undefined) return undefined;
    const body = Buffer.from(`{"data":${this.withServedPoster(id, wireDocumentJson(doc))}}`);
    // a reload while the store answered may have replaced this run: cache only if still current
    if (version === this.snapshot.version) this.details.set(id, body);
    return body;
  }

  private posterUrl(run: PerformanceSummary): string | null {
    return this.deps.posterUrl ? this.deps.posterUrl(run) : run.poster_url;
  }

  /** The stored document, with the poster URL lists show where that differs from the stored one. */
  private withServedPoster(id: string, doc: string): string {
    const run = this.summaryOf(id);
    if (run === undefined) return doc;
    const served = this.posterUrl(run);
    if (served === run.poster_url) return doc;
    const parsed = JSON.parse(doc) as Record<string, unknown>;
    return JSON.stringify({ ...parsed, poster_url: served });
  }

  banner(): Promise<JsonBody> {
    return this.cached('banner', async (cache) => {
      const { runs } = cache.snapshot;
      // runs are ordered by start date: find the first one starting after today
      let lo = 0;
      let hi = runs.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (runs[mid]!.start_date <= cache.day) lo = mid + 1;
        else hi = mid;
      }
      const picked: number[] = [];
      for (let i = lo; i < runs.length && picked.length < BANNER_SIZE; i += 1) picked.push(i);
      return cache.items.list(picked);
    });
  }

  /**
   * Runs with a poster on show this Saturday or Sunday, up to `perCategory` per category (as the
   * runs carry it): most viewed on the last 7 days first, then earliest start, then id. Every
   * size is cut from one body cached per day, catalogue version and view ranking.
   */
  async thisWeekend(perCategory: number = WEEKEND_PER_CATEGORY): Promise<JsonBody> {
    if (!Number.isInteger(perCategory) || perCategory < 1 || perCategory > WEEKEND_PER_CATEGORY_MAX) {
      throw unprocessable({ field: 'querystring.per_category', message: `must be an integer from 1 to ${WEEKEND_PER_CATEGORY_MAX}` });
    }
    return (await this.weekend(this.day())).body(perCategory);
  }

  /** Bodies kept for `/this_weekend` sizes other than the default and the whole list. */
  async weekendCacheStats(): Promise<{ entries: number; bytes: number }> {
    return (await this.weekend(this.day())).stats();
  }

  /** This weekend's lists for the current day, catalogue and view ranking. */
  private weekend(cache: DayCache): Promise<WeekendBodies> {
    if (cache.weekend?.ranking === this.viewsVersion) return cache.weekend.bodies;
    const ranking = this.viewsVersion;
    const bodies = weekendGroups(cache.snapshot.runs, cache.day, this.views).then((groups) =>
      WeekendBodies.build(cache.items, groups, WEEKEND_PER_CATEGORY_MAX, WEEKEND_PER_CATEGORY),
    );
    const entry = { ranking, bodies };
    bodies.catch(() => {
      if (cache.weekend === entry) cache.weekend = undefined;
    });
    cache.weekend = entry;
    return bodies;
  }

  private async currentExclusives(cache: DayCache, siteId?: number): Promise<number[]> {
    const { runs } = cache.snapshot;
    const picked: number[] = [];
    await upToInSlices(runs.length, (i) => {
      const r = runs[i]!;
      if (isExclusive(r) && isCurrent(r, cache.day) && (siteId === undefined || r.sites[0] === siteId)) picked.push(i);
    });
    return picked;
  }

  exclusiveMain(): Promise<JsonBody> {
    return this.cached('exclusive-main', async (cache) => {
      const groups = new Map<number, number[]>();
      for (const i of await this.currentExclusives(cache)) {
        const site = cache.snapshot.runs[i]!.sites[0]!;
        let group = groups.get(site);
        if (!group) groups.set(site, (group = []));
        if (group.length < EXCLUSIVE_PER_VENDOR) group.push(i);
      }
      const vendors = [...groups.keys()].sort((a, b) => a - b);
      return jsonArray(
        vendors.map((site) => Buffer.concat([Buffer.from(`{"_id":${site},"items":`), cache.items.list(groups.get(site)!), CLOSE_OBJECT])),
      );
    });
  }

  /**
   * A `site_id` is client input: a vendor without current exclusive runs gets the shared empty
   * list, and only vendors the catalogue has get a cached body (one per vendor, not per request).
   */
  async exclusiveAll(siteId?: number): Promise<JsonBody> {
    if (siteId !== undefined) {
      const cache = this.day();
      cache.exclusiveSites ??= this.currentExclusives(cache).then((picked) => new Set(picked.map((i) => cache.snapshot.runs[i]!.sites[0]!)));
      if (!(await cache.exclusiveSites).has(siteId)) return NO_RUNS;
    }
    return this.cached(`exclusive-all:${siteId ?? ''}`, async (cache) => cache.items.listInSlices(await this.currentExclusives(cache, siteId)));
  }

  /** List items for the given ids in the given order, skipping unknown ids. */
  listOf(ids: readonly string[], opts: ListOptions = {}): Buffer {
    const cache = this.day();
    const picked: number[] = [];
    for (const id of ids) {
      if (opts.limit !== undefined && picked.length >= opts.limit) break;
      const i = cache.snapshot.byId.get(id);
      if (i === undefined) continue;
      if (opts.onlyCurrent && !isCurrent(cache.snapshot.runs[i]!, cache.day)) continue;
      picked.push(i);
    }
    return cache.items.list(picked);
  }

  /** Summaries of every run (analytics jobs read these). */
  allRuns(): readonly PerformanceSummary[] {
    return this.snapshot.runs;
  }
}

interface Filters {
  keyword: string | undefined;
  category: string | undefined;
  region: string | undefined;
  from: string | undefined;
  to: string | undefined;
}

const CLOSE_OBJECT = Buffer.from('}');

/** The answer for a vendor without current exclusive runs. */
const NO_RUNS = new JsonBody(EMPTY_LIST);

function sameViews(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, n] of a) if (b.get(id) !== n) return false;
  return true;
}
