import type { Clock } from '../../platform/clock.js';
import { badRequest, unprocessable } from '../../platform/errors.js';
import { OBJECT_ID } from '../../platform/ids.js';
import { LRUCache } from 'lru-cache';
import { isDottedDate, kstDate, weekendOf } from '../../platform/kst.js';
import type { Actor, EventRecorder } from '../../pipeline/index.js';
import { KeywordIndex, normalizeForSearch } from './catalog-index.js';
import type { CatalogReader, ListOptions } from './catalog-reader.js';
import type { PerformanceStore } from './catalog.store.js';
import { wireDocumentJson, type PerformanceSummary } from './performance.js';
import { categoryMatches, isCurrent, isExclusive, isOnSale, onWeekend, overlaps } from './rules.js';

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
/** Bodies kept for sizes other than the default (the size is client input: keep few). */
const WEEKEND_OTHER_BODIES = 8;
export const EXCLUSIVE_PER_VENDOR = 4;

interface Snapshot {
  version: number;
  runs: PerformanceSummary[];
  byId: Map<string, number>;
  keywords: KeywordIndex;
}

interface DayCache {
  day: string;
  version: number;
  /** Each run's list item, UTF-8 encoded once: responses are assembled by copying bytes. */
  items: (Buffer | undefined)[];
  /**
   * Whole bodies by name. The keys are fixed names, or client input checked against the
   * catalogue (`exclusive-all:<site>` only for a vendor with current exclusive runs), so the map
   * holds a bounded number of entries.
   */
  bodies: Map<string, Buffer>;
  /** Vendors with current exclusive runs today (computed on first use). */
  exclusiveSites?: ReadonlySet<number>;
  /** This weekend's runs per category, in list order, for one version of the view ranking. */
  weekend?: { ranking: number; groups: number[][]; bodies: Map<number, Buffer> };
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

interface CachedSearch {
  body: Buffer;
  count: number;
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');
const EMPTY_LIST = Buffer.from('[]');

const blank = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

/**
 * Read side of the catalogue. Keeps every run's summary in memory (reloaded when the store's
 * version moves, also by another process) and answers list endpoints with pre-serialised JSON:
 * list items and whole home-page bodies are cached for the current KST day.
 */
export class CatalogService implements CatalogReader {
  private snapshot: Snapshot = { version: -1, runs: [], byId: new Map(), keywords: new KeywordIndex([]) };
  private cache: DayCache = { day: '', version: -1, items: [], bodies: new Map() };
  private readonly details = new LRUCache<string, Buffer>({ maxSize: DETAIL_CACHE_BYTES, sizeCalculation: (b) => b.length });
  /** Search bodies of the current day cache (cleared with it), keyed by the normalised filters. */
  private readonly searches: LRUCache<string, CachedSearch>;
  private searchesOf: DayCache | undefined;
  private views: ReadonlyMap<string, number> = new Map();
  /** Moves whenever the 7-day view ranking read on refresh differs from the previous one. */
  private viewsVersion = 0;
  private reloading: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: CatalogDeps) {
    const maxBytes = deps.searchCache?.maxBytes ?? SEARCH_CACHE_BYTES;
    this.searches = new LRUCache<string, CachedSearch>({
      max: deps.searchCache?.maxEntries ?? SEARCH_CACHE_ENTRIES,
      maxSize: maxBytes,
      // one huge result set must not flush every other entry
      maxEntrySize: Math.max(1, Math.floor(maxBytes / 4)),
      sizeCalculation: (v, key) => v.body.length + key.length * 2 + 64,
    });
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

  private day(): DayCache {
    const day = this.today();
    if (this.cache.day !== day || this.cache.version !== this.snapshot.version) {
      this.cache = { day, version: this.snapshot.version, items: new Array<Buffer | undefined>(this.snapshot.runs.length), bodies: new Map() };
    }
    return this.cache;
  }

  private item(cache: DayCache, index: number): Buffer {
    let json = cache.items[index];
    if (json === undefined) {
      const r = this.snapshot.runs[index]!;
      const text = JSON.stringify({
        id: r.id,
        title: r.title,
        poster_url: this.posterUrl(r),
        location: r.location,
        start_date: r.start_date,
        end_date: r.end_date,
        category: r.category,
        onSale: isOnSale(r, cache.day),
        isExclusive: isExclusive(r),
      });
      json = Buffer.from(text);
      cache.items[index] = json;
    }
    return json;
  }

  private list(cache: DayCache, indexes: Iterable<number>): Buffer {
    const parts: Buffer[] = [OPEN];
    for (const i of indexes) {
      if (parts.length > 1) parts.push(COMMA);
      parts.push(this.item(cache, i));
    }
    if (parts.length === 1) return EMPTY_LIST;
    parts.push(CLOSE);
    return Buffer.concat(parts);
  }

  private cached(key: string, build: (cache: DayCache) => Buffer): Buffer {
    const cache = this.day();
    let body = cache.bodies.get(key);
    if (body === undefined) {
      body = build(cache);
      cache.bodies.set(key, body);
    }
    return body;
  }

  /**
   * The complete result set as a JSON array, and its length; records the search (every time,
   * also when the body comes from the cache of recent searches).
   */
  search(q: SearchQuery, actor: Actor): { body: Buffer; count: number } {
    const from = blank(q.start_date);
    const to = blank(q.end_date);
    for (const [name, value] of [
      ['start_date', from],
      ['end_date', to],
    ] as const) {
      if (value !== undefined && !isDottedDate(value)) throw unprocessable(`${name} must be a real date written YYYY.MM.DD`);
    }
    if (from !== undefined && to !== undefined && from > to) throw unprocessable('start_date is after end_date');
    const category = blank(q.category);
    const region = blank(q.region);
    const keyword = blank(q.keyword);
    const cache = this.day();
    if (this.searchesOf !== cache) {
      this.searches.clear();
      this.searchesOf = cache;
    }
    // the keyword as the index compares it: 'IU' and 'iu' share one entry
    const key = JSON.stringify([keyword === undefined ? null : normalizeForSearch(keyword), category, region, from, to]);
    let result = this.searches.get(key);
    if (result === undefined) {
      result = this.runSearch(cache, keyword, category, region, from, to);
      this.searches.set(key, result);
    }
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

  private runSearch(
    cache: DayCache,
    keyword: string | undefined,
    category: string | undefined,
    region: string | undefined,
    from: string | undefined,
    to: string | undefined,
  ): CachedSearch {
    const { runs, keywords } = this.snapshot;
    const candidates = keyword === undefined ? runs.keys() : keywords.match(keyword);
    const hits: number[] = [];
    for (const i of candidates) {
      const r = runs[i]!;
      if (category !== undefined && !categoryMatches(r.category, category)) continue;
      if (region !== undefined && r.region !== region) continue;
      if (!overlaps(r, from, to)) continue;
      hits.push(i);
    }
    return { body: this.list(cache, hits), count: hits.length };
  }

  /** Whole bodies cached for the current day and catalogue version (banner, exclusive lists, …). */
  bodyCacheStats(): { entries: number } {
    return { entries: this.day().bodies.size };
  }

  /** Entries and bytes held by the search body cache. */
  searchCacheStats(): { entries: number; bytes: number } {
    return { entries: this.searches.size, bytes: this.searches.calculatedSize };
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

  banner(): Buffer {
    return this.cached('banner', (cache) => {
      const { runs } = this.snapshot;
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
      return this.list(cache, picked);
    });
  }

  /**
   * Runs with a poster on show this Saturday or Sunday, up to `perCategory` per category (as the
   * runs carry it): most viewed on the last 7 days first, then earliest start, then id. The
   * grouping and the bodies are cached per day, catalogue version and view ranking (the default
   * and a few other sizes).
   */
  thisWeekend(perCategory: number = WEEKEND_PER_CATEGORY): Buffer {
    if (!Number.isInteger(perCategory) || perCategory < 1 || perCategory > WEEKEND_PER_CATEGORY_MAX) {
      throw unprocessable(`per_category must be an integer from 1 to ${WEEKEND_PER_CATEGORY_MAX}`);
    }
    const cache = this.day();
    const weekend = this.weekend(cache);
    let body = weekend.bodies.get(perCategory);
    if (body === undefined) {
      body = this.list(
        cache,
        weekend.groups.flatMap((g) => g.slice(0, perCategory)),
      );
      const others = [...weekend.bodies.keys()].filter((n) => n !== WEEKEND_PER_CATEGORY);
      if (perCategory !== WEEKEND_PER_CATEGORY && others.length >= WEEKEND_OTHER_BODIES) weekend.bodies.delete(others[0]!);
      weekend.bodies.set(perCategory, body);
    }
    return body;
  }

  /** This weekend's runs grouped and ordered, for the current day, catalogue and view ranking. */
  private weekend(cache: DayCache): NonNullable<DayCache['weekend']> {
    if (cache.weekend?.ranking === this.viewsVersion) return cache.weekend;
    const { saturday, sunday } = weekendOf(cache.day);
    const { runs } = this.snapshot;
    const byCategory = new Map<string | null, number[]>();
    runs.forEach((r, i) => {
      if (!r.poster_url || !onWeekend(r, saturday, sunday)) return;
      let group = byCategory.get(r.category);
      if (!group) byCategory.set(r.category, (group = []));
      group.push(i);
    });
    const views = (i: number) => this.views.get(runs[i]!.id) ?? 0;
    const order = (a: number, b: number) => {
      const ra = runs[a]!;
      const rb = runs[b]!;
      return views(b) - views(a) || compare(ra.start_date, rb.start_date) || compare(ra.id, rb.id);
    };
    // categories in code-point order, runs without one last
    const categories = [...byCategory.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : compare(a, b)));
    const groups = categories.map((c) => byCategory.get(c)!.sort(order));
    cache.weekend = { ranking: this.viewsVersion, groups, bodies: new Map() };
    return cache.weekend;
  }

  private currentExclusives(day: string, siteId?: number): number[] {
    const picked: number[] = [];
    this.snapshot.runs.forEach((r, i) => {
      if (isExclusive(r) && isCurrent(r, day) && (siteId === undefined || r.sites[0] === siteId)) picked.push(i);
    });
    return picked;
  }

  exclusiveMain(): Buffer {
    return this.cached('exclusive-main', (cache) => {
      const groups = new Map<number, number[]>();
      for (const i of this.currentExclusives(cache.day)) {
        const site = this.snapshot.runs[i]!.sites[0]!;
        let group = groups.get(site);
        if (!group) groups.set(site, (group = []));
        if (group.length < EXCLUSIVE_PER_VENDOR) group.push(i);
      }
      const parts: Buffer[] = [OPEN];
      for (const site of [...groups.keys()].sort((a, b) => a - b)) {
        if (parts.length > 1) parts.push(COMMA);
        parts.push(Buffer.from(`{"_id":${site},"items":`), this.list(cache, groups.get(site)!), Buffer.from('}'));
      }
      parts.push(CLOSE);
      return Buffer.concat(parts);
    });
  }

  /**
   * A `site_id` is client input: a vendor without current exclusive runs gets the shared empty
   * list, and only vendors the catalogue has get a cached body (one per vendor, not per request).
   */
  exclusiveAll(siteId?: number): Buffer {
    if (siteId !== undefined) {
      const cache = this.day();
      cache.exclusiveSites ??= new Set(this.currentExclusives(cache.day).map((i) => this.snapshot.runs[i]!.sites[0]!));
      if (!cache.exclusiveSites.has(siteId)) return EMPTY_LIST;
    }
    return this.cached(`exclusive-all:${siteId ?? ''}`, (cache) => this.list(cache, this.currentExclusives(cache.day, siteId)));
  }

  /** List items for the given ids in the given order, skipping unknown ids. */
  listOf(ids: readonly string[], opts: ListOptions = {}): Buffer {
    const cache = this.day();
    const picked: number[] = [];
    for (const id of ids) {
      if (opts.limit !== undefined && picked.length >= opts.limit) break;
      const i = this.snapshot.byId.get(id);
      if (i === undefined) continue;
      if (opts.onlyCurrent && !isCurrent(this.snapshot.runs[i]!, cache.day)) continue;
      picked.push(i);
    }
    return this.list(cache, picked);
  }

  /** Summaries of every run (analytics jobs read these). */
  allRuns(): readonly PerformanceSummary[] {
    return this.snapshot.runs;
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function sameViews(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, n] of a) if (b.get(id) !== n) return false;
  return true;
}
