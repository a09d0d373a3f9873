import type { Clock } from '../../platform/clock.js';
import { badRequest, notFound, unprocessable } from '../../platform/errors.js';
import { OBJECT_ID } from '../../platform/ids.js';
import { isDottedDate, kstDate, weekendOf } from '../../platform/kst.js';
import { KeywordIndex } from './catalog-index.js';
import type { PerformanceStore } from './catalog.store.js';
import type { PerformanceSummary } from './performance.js';
import { categoryMatches, isCurrent, isExclusive, isOnSale, overlaps } from './rules.js';

export interface SearchQuery {
  keyword?: string | undefined;
  category?: string | undefined;
  region?: string | undefined;
  start_date?: string | undefined;
  end_date?: string | undefined;
}

export const BANNER_SIZE = 11;
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
  items: (string | undefined)[];
  bodies: Map<string, string>;
}

const blank = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

/**
 * Read side of the catalogue. Keeps every run's summary in memory (reloaded when the store's
 * version moves, also by another process) and answers list endpoints with pre-serialised JSON:
 * list items and whole home-page bodies are cached for the current KST day.
 */
export class CatalogService {
  private snapshot: Snapshot = { version: -1, runs: [], byId: new Map(), keywords: new KeywordIndex([]) };
  private cache: DayCache = { day: '', version: -1, items: [], bodies: new Map() };
  private reloading: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: { store: PerformanceStore; clock: Clock }) {}

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
    if (version === this.snapshot.version) return;
    const runs = await this.deps.store.summaries();
    this.snapshot = {
      version,
      runs,
      byId: new Map(runs.map((r, i) => [r.id, i])),
      keywords: new KeywordIndex(runs),
    };
  }

  /** Polls the store for changes made elsewhere (the import CLI, other instances). */
  startWatching(intervalMs: number, onError: (err: unknown) => void): void {
    this.timer = setInterval(() => this.refresh().catch(onError), intervalMs);
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
      this.cache = { day, version: this.snapshot.version, items: new Array(this.snapshot.runs.length), bodies: new Map() };
    }
    return this.cache;
  }

  private item(cache: DayCache, index: number): string {
    let json = cache.items[index];
    if (json === undefined) {
      const r = this.snapshot.runs[index]!;
      json = JSON.stringify({
        id: r.id,
        title: r.title,
        poster_url: r.poster_url,
        location: r.location,
        start_date: r.start_date,
        end_date: r.end_date,
        category: r.category,
        onSale: isOnSale(r, cache.day),
        isExclusive: isExclusive(r),
      });
      cache.items[index] = json;
    }
    return json;
  }

  private list(cache: DayCache, indexes: Iterable<number>): string {
    const parts: string[] = [];
    for (const i of indexes) parts.push(this.item(cache, i));
    return `[${parts.join(',')}]`;
  }

  private cached(key: string, build: (cache: DayCache) => string): string {
    const cache = this.day();
    let body = cache.bodies.get(key);
    if (body === undefined) {
      body = build(cache);
      cache.bodies.set(key, body);
    }
    return body;
  }

  /** The complete result set as a JSON array, and its length. */
  search(q: SearchQuery): { body: string; count: number } {
    const from = blank(q.start_date);
    const to = blank(q.end_date);
    for (const [name, value] of [['start_date', from], ['end_date', to]] as const) {
      if (value !== undefined && !isDottedDate(value)) throw unprocessable(`${name} must be a real date written YYYY.MM.DD`);
    }
    if (from !== undefined && to !== undefined && from > to) throw unprocessable('start_date is after end_date');
    const category = blank(q.category);
    const region = blank(q.region);
    const keyword = blank(q.keyword);
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
    return { body: this.list(this.day(), hits), count: hits.length };
  }

  /** `{"data": {...}}` for one run. */
  async detail(id: string): Promise<string> {
    if (!OBJECT_ID.test(id)) throw badRequest('id must be 24 lowercase hexadecimal characters');
    const doc = await this.deps.store.documentJson(id);
    if (doc === undefined) throw notFound('performance not found');
    return `{"data":${doc}}`;
  }

  banner(): string {
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

  thisWeekend(): string {
    return this.cached('weekend', (cache) => {
      const { saturday, sunday } = weekendOf(cache.day);
      const picked: number[] = [];
      this.snapshot.runs.forEach((r, i) => {
        if (r.poster_url && overlaps(r, saturday, sunday)) picked.push(i);
      });
      return this.list(cache, picked);
    });
  }

  private currentExclusives(day: string, siteId?: number): number[] {
    const picked: number[] = [];
    this.snapshot.runs.forEach((r, i) => {
      if (isExclusive(r) && isCurrent(r, day) && (siteId === undefined || r.sites[0] === siteId)) picked.push(i);
    });
    return picked;
  }

  exclusiveMain(): string {
    return this.cached('exclusive-main', (cache) => {
      const groups = new Map<number, number[]>();
      for (const i of this.currentExclusives(cache.day)) {
        const site = this.snapshot.runs[i]!.sites[0]!;
        let group = groups.get(site);
        if (!group) groups.set(site, (group = []));
        if (group.length < EXCLUSIVE_PER_VENDOR) group.push(i);
      }
      const parts = [...groups.keys()]
        .sort((a, b) => a - b)
        .map((site) => `{"_id":${site},"items":${this.list(cache, groups.get(site)!)}}`);
      return `[${parts.join(',')}]`;
    });
  }

  exclusiveAll(siteId?: number): string {
    return this.cached(`exclusive-all:${siteId ?? ''}`, (cache) => this.list(cache, this.currentExclusives(cache.day, siteId)));
  }

  /** List items for the given ids in the given order, skipping unknown ids. */
  listOf(ids: readonly string[], opts: { onlyCurrent?: boolean; limit?: number } = {}): string {
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
