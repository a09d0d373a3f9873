/**
 * The contract between the search index (pure: Korean matching, ranking, facets, paging) and the
 * service that feeds it from the catalogue and serves `/v1/search` and `/v1/suggest`.
 * See docs/search.md for what each matching class means.
 */

/** What the index knows of one run (the service builds these from the catalogue and the store). */
export interface SearchDoc {
  id: string;
  title: string;
  /** As stored: `뮤지컬`, `연극`, `콘서트`, `뮤지컬/연극`, … */
  category: string | null;
  /** Region group: `서울`, `수도권`, `경상`, `전라`, `강원`, `충청`, `제주`. */
  region: string | null;
  /** The venue. */
  location: string | null;
  /** `YYYY.MM.DD`. */
  start_date: string;
  /** `YYYY.MM.DD`, or `상시공연` for a run that is always on. */
  end_date: string;
  poster_url: string | null;
  /** Vendor ids (site_id), ascending, distinct. */
  sites: number[];
  /** Some host has a ticket URL. */
  hasTicketUrl: boolean;
  /** Artist names (`artist[].artist_name`), in stored order. */
  artists: string[];
  /** Actor names (`casting[].actor`), distinct, in stored order. */
  cast: string[];
  /** The synopsis; searched last, if at all. */
  description: string | null;
  /** Views in the last 7 days, as the popular job stored them (0 when unknown). */
  popularity: number;
}

/**
 * How a query matched a run, best tier first (docs/search.md "Ranking"):
 * exact title > title prefix > title substring (spacing ignored) > artist / cast (exact or prefix)
 * > venue > 초성 > mid-typing syllable > Latin-layout conversion > typo > description.
 */
export const MATCH_KINDS = [
  'exact',
  'prefix',
  'substring',
  'artist',
  'cast',
  'venue',
  'choseong',
  'mid_typing',
  'layout',
  'typo',
  'description',
] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

export type SortOrder = 'relevance' | 'date' | 'popular';

/** `when` facet buckets; a run may count in more than one. */
export const WHEN_BUCKETS = ['this_weekend', 'this_month', 'later'] as const;
export type When = (typeof WHEN_BUCKETS)[number];

/** A validated query (the routes turn wire parameters into this). */
export interface SearchParams {
  /** The raw query; '' (or only spaces) = browse. */
  q: string;
  /** Any of these categories (`뮤지컬/연극` matches 뮤지컬, 연극 and 뮤지컬/연극); empty = all. */
  categories: readonly string[];
  /** Any of these regions; empty = all. */
  regions: readonly string[];
  /** Sold by any of these vendors; empty = all. */
  vendors: readonly number[];
  /** Runs overlapping [from, to], `YYYY.MM.DD`; either may be absent. `상시공연` overlaps everything from its start. */
  from?: string;
  to?: string;
  /** Only runs on sale (a ticket URL, and current). */
  onSale: boolean;
  sort: SortOrder;
  /** 1-based. */
  page: number;
  /** 1–100. */
  size: number;
}

/** The dates a query is answered for (KST calendar days, `YYYY.MM.DD`). */
export interface SearchContext {
  today: string;
  /** This weekend (the coming one, or the current one on a Saturday or Sunday). */
  saturday: string;
  sunday: string;
  /** The last day of today's month. */
  monthEnd: string;
}

/** Half-open UTF-16 ranges `[start, end)` into the title as given. */
export type Highlight = [number, number];

export interface SearchHit {
  /** Position of the run in the docs the index was built from. */
  index: number;
  id: string;
  /** Higher is better; comparable only within one answer. */
  score: number;
  matchedAs: MatchKind;
  highlights: { title: Highlight[] };
}

export interface FacetCount<V = string> {
  value: V;
  count: number;
}

export interface SearchFacets {
  category: FacetCount[];
  region: FacetCount[];
  vendor: FacetCount<number>[];
  when: FacetCount<When>[];
}

export interface SearchPage {
  /** The query as the index compared it (case-folded, NFKC, spacing collapsed). */
  normalized: string;
  /** The kinds of match among all results, best tier first, distinct. */
  matchedAs: MatchKind[];
  /** Results matching the query and every filter. */
  total: number;
  /** The requested page of them. */
  hits: SearchHit[];
  /** Disjunctive: each facet's counts apply every filter but its own (and the query). */
  facets: SearchFacets;
}

export type SuggestionKind = 'title' | 'artist' | 'venue';

export interface Suggestion {
  text: string;
  kind: SuggestionKind;
  /** The run, for a title. */
  id?: string;
}

export interface SearchIndex {
  /** Runs indexed. */
  readonly size: number;
  search(params: SearchParams, ctx: SearchContext): SearchPage;
  /** As-you-type completions (same Korean matching), best first, at most `limit`, distinct texts. */
  suggest(q: string, limit: number): Suggestion[];
}

/** Cooperative pauses for a long build on the event loop (`platform/slices.ts` Slices fits). */
export interface BuildPauses {
  /** Counts one small step and yields to the loop when the slice has used its time. */
  next(): Promise<void>;
}
