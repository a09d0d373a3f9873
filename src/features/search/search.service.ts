import type { Clock } from '../../platform/clock.js';
import { addDays, kstDate, weekendOf } from '../../platform/kst.js';
import { Slices } from '../../platform/slices.js';
import type { Actor, EventRecorder } from '../../pipeline/index.js';
import type { Performance, PerformanceSummary } from '../catalog/index.js';
import { isExclusive, isOnSale } from '../catalog/index.js';
import { buildSearchIndex } from './search-index.js';
import type { Highlight, MatchKind, SearchContext, SearchDoc, SearchFacets, SearchIndex, SearchParams, Suggestion } from './search-types.js';

/** What the search reads of the catalogue: its in-memory runs and the 7-day views it last read. */
export interface SearchCatalog {
  /** Every run's summary; a new array whenever the catalogue changed. */
  allRuns(): readonly PerformanceSummary[];
  /** Views per run on the last 7 KST days; a new map whenever the counts changed. */
  viewCounts(): ReadonlyMap<string, number>;
}

export interface SearchServiceDeps {
  catalog: SearchCatalog;
  /** The stored documents (cast and synopsis are not in the in-memory summaries). */
  documents: { findByIds(ids: readonly string[]): Promise<Performance[]> };
  clock: Clock;
  events: EventRecorder;
  /** The `poster_url` a list shows for a run (the service's own posters made absolute). */
  posterUrl: (run: PerformanceSummary) => string | null;
  /** Called when a rebuild fails (the previous index keeps answering). */
  onBuildError?: (err: unknown) => void;
  /** Called after each build, with its size and time. */
  onBuilt?: (built: { runs: number; ms: number }) => void;
}

export interface SearchItem {
  id: string;
  title: string;
  category: string | null;
  region: string | null;
  location: string | null;
  start_date: string;
  end_date: string;
  poster_url: string | null;
  onSale: boolean;
  isExclusive: boolean;
  vendors: number[];
  score: number;
  highlights: { title: Highlight[] };
}

export interface SearchAnswer {
  query: { q: string; normalized: string; matched_as: MatchKind[] };
  total: number;
  page: number;
  size: number;
  items: SearchItem[];
  facets: SearchFacets;
}

/** One index and what it was built from: swapped in whole, so no request sees half of one. */
interface Built {
  runs: readonly PerformanceSummary[];
  views: ReadonlyMap<string, number>;
  docs: readonly SearchDoc[];
  index: SearchIndex;
}

/** Documents read from the store per query while the index is built (each read is short). */
const READ_BATCH = 250;

/**
 * `/v1/search` and `/v1/suggest` (docs/search.md). The index is built from the catalogue's
 * in-memory runs, their stored cast and synopsis, and the 7-day views, on the event loop in
 * slices of SLICE_MS (ADR 17), and swapped in whole once complete. Until the first one is
 * ready, requests wait for it; afterwards a change of the catalogue or of the views starts a
 * new build while the previous index keeps answering.
 */
export class SearchService {
  private built: Built | undefined;
  private first: Promise<Built> | undefined;
  private building: Promise<Built> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The index, and the day, whose browse orders were last computed (`warm`). */
  private warmed: { index: SearchIndex; day: string } | undefined;

  constructor(private readonly deps: SearchServiceDeps) {}

  /** The index to answer with: the current one (starting a rebuild when it is out of date), or the first one once built. */
  private async index(): Promise<Built> {
    const built = this.built;
    if (built === undefined) return (this.first ??= this.rebuild());
    // a change made while a build runs is picked up by the next request or `follow` after it
    if (!this.building && this.stale(built)) void this.rebuild().catch(() => {});
    return built;
  }

  private stale(built: Built): boolean {
    return built.runs !== this.deps.catalog.allRuns() || built.views !== this.deps.catalog.viewCounts();
  }

  /**
   * Builds an index of the catalogue as it is now, unless one is being built of it already, and
   * swaps it in. Resolves with the index in use afterwards (tests and start-up await it).
   */
  rebuild(): Promise<Built> {
    const building = this.building;
    if (building) {
      // one build at a time; a change made during it gets a build of its own afterwards
      return building.then((b) => (this.stale(b) ? this.rebuild() : b));
    }
    const started = performance.now();
    const next = this.build().then(
      (b) => {
        this.building = undefined;
        this.built = b;
        this.warm(b);
        this.deps.onBuilt?.({ runs: b.docs.length, ms: performance.now() - started });
        return b;
      },
      (err: unknown) => {
        this.building = undefined;
        if (this.first && !this.built) this.first = undefined; // the next request tries again
        this.deps.onBuildError?.(err);
        throw err;
      },
    );
    this.building = next;
    return next;
  }

  /** Resolves once the index reflects the catalogue and views as they are now. */
  async current(): Promise<void> {
    const built = this.built ?? (await (this.first ??= this.rebuild()));
    if (this.stale(built)) await this.rebuild();
  }

  /** Rebuilds whenever the catalogue or the views change, also without requests (serve). */
  follow(intervalMs: number): void {
    this.timer ??= setInterval(() => {
      if (!this.building && this.built && this.stale(this.built)) void this.rebuild().catch(() => {});
      else if (this.built) this.warm(this.built);
    }, intervalMs);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Has the index compute what it keeps per day (the browse orders by date and by popularity,
   * tens of milliseconds at 50k runs) before a request needs it: after each build, and from
   * `follow` when the KST day turns.
   */
  private warm(built: Built): void {
    const ctx = this.context();
    if (this.warmed?.index === built.index && this.warmed.day === ctx.today) return;
    const browse = { q: '', categories: [], regions: [], vendors: [], onSale: false, page: 1, size: 1 } as const;
    built.index.search({ ...browse, sort: 'date' }, ctx);
    built.index.search({ ...browse, sort: 'popular' }, ctx);
    this.warmed = { index: built.index, day: ctx.today };
  }

  private async build(): Promise<Built> {
    const runs = this.deps.catalog.allRuns();
    const views = this.deps.catalog.viewCounts();
    const slices = new Slices();
    const docs: SearchDoc[] = [];
    for (let at = 0; at < runs.length; at += READ_BATCH) {
      const batch = runs.slice(at, at + READ_BATCH);
      const stored = new Map((await this.deps.documents.findByIds(batch.map((r) => r.id))).map((p) => [p._id, p]));
      for (const run of batch) docs.push(searchDocOf(run, stored.get(run.id), views.get(run.id) ?? 0));
      if (slices.overTime()) await slices.pause();
    }
    const index = await buildSearchIndex(docs, slices);
    // The index has taken the words it keeps from each synopsis; the texts themselves (about
    // 48 MB at 50k runs) need not live on with the docs it holds for ids and titles.
    for (const doc of docs) doc.description = null;
    return { runs, views, docs, index };
  }

  /** The dates a query is answered for. */
  private context(): SearchContext {
    const today = kstDate(this.deps.clock.now());
    const { saturday, sunday } = weekendOf(today);
    return { today, saturday, sunday, monthEnd: monthEndOf(today) };
  }

  async search(params: SearchParams, actor: Actor): Promise<SearchAnswer> {
    const { runs, docs, index } = await this.index();
    const ctx = this.context();
    const page = index.search(params, ctx);
    const items = page.hits.map((hit): SearchItem => {
      const doc = docs[hit.index]!;
      return {
        id: doc.id,
        title: doc.title,
        category: doc.category,
        region: doc.region,
        location: doc.location,
        start_date: doc.start_date,
        end_date: doc.end_date,
        poster_url: this.deps.posterUrl(runs[hit.index]!),
        onSale: isOnSale(doc, ctx.today),
        isExclusive: isExclusive(doc),
        vendors: doc.sites,
        score: hit.score,
        highlights: hit.highlights,
      };
    });
    this.deps.events.record('Search_log', 'v1_search', actor, {
      keyword: params.q,
      category: params.categories.join(','),
      region: params.regions.join(','),
      start_date: params.from ?? '',
      end_date: params.to ?? '',
      result_count: page.total,
      matched_as: page.matchedAs.join(','),
      page: params.page,
    });
    return {
      query: { q: params.q, normalized: page.normalized, matched_as: page.matchedAs },
      total: page.total,
      page: params.page,
      size: params.size,
      items,
      facets: page.facets,
    };
  }

  async suggest(q: string, limit: number): Promise<Suggestion[]> {
    const { index } = await this.index();
    return index.suggest(q, limit);
  }
}

/** What the index knows of a run: its summary, and the cast and synopsis of its stored document. */
export function searchDocOf(run: PerformanceSummary, stored: Performance | undefined, popularity: number): SearchDoc {
  const cast = new Set<string>();
  for (const c of stored?.casting ?? []) {
    const actor = c.actor?.trim();
    if (actor) cast.add(actor);
  }
  return {
    id: run.id,
    title: run.title,
    category: run.category,
    region: run.region,
    location: run.location,
    start_date: run.start_date,
    end_date: run.end_date,
    poster_url: run.poster_url,
    sites: run.sites,
    hasTicketUrl: run.hasTicketUrl,
    artists: run.artistNames,
    cast: [...cast],
    description: stored?.description ?? null,
    popularity,
  };
}

/** The last day of `today`'s month (`YYYY.MM.DD`). */
export function monthEndOf(today: string): string {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const next = month === 12 ? `${year + 1}.01.01` : `${year}.${String(month + 1).padStart(2, '0')}.01`;
  return addDays(next, -1);
}
