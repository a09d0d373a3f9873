import {
  choseong,
  choseongOf,
  fromLatinLayout,
  hasLatin,
  isCompatConsonant,
  isSyllable,
  keysOf,
  normalize,
  normalizeMapped,
  queryWords,
  toKeys,
} from './hangul.js';
import {
  MATCH_KINDS,
  type BuildPauses,
  type FacetCount,
  type Highlight,
  type MatchKind,
  type SearchContext,
  type SearchDoc,
  type SearchFacets,
  type SearchHit,
  type SearchIndex,
  type SearchPage,
  type SearchParams,
  type Suggestion,
  type SuggestionKind,
  type When,
} from './search-types.js';

/**
 * The search index: pure, in memory, built once from the catalogue's runs and then only read.
 *
 * Texts are kept as "terms": each distinct title, artist, actor, venue and category string once,
 * with the runs it belongs to. A term is compared in three spellings, all position for position
 * with its normalized text (see hangul.ts): the normalized text itself, its 초성, and its keys
 * (2-beolsik jamo). Postings of characters and character pairs (and of 초성 and 초성 pairs) give
 * the candidate terms of a query, which are then checked exactly. The query's matching classes
 * are tried in the order of their tier, so a term takes the best tier it matches.
 */

const TITLE = 0;
const ARTIST = 1;
const CAST = 2;
const VENUE = 3;
/** Category and region: matched only by the words of a multi-word query (`서울 뮤지컬`), as a venue is. */
const CATEGORY = 4;
const REGION = 5;

/** Tier numbers (positions in MATCH_KINDS), as plain constants for the hot loops. */
const TIER = {
  exact: 0,
  prefix: 1,
  substring: 2,
  artist: 3,
  cast: 4,
  venue: 5,
  choseong: 6,
  mid_typing: 7,
  layout: 8,
  typo: 9,
  description: 10,
} as const satisfies Record<MatchKind, number>;
if (MATCH_KINDS.some((kind, i) => TIER[kind] !== i)) throw new Error('search-index TIER is out of step with MATCH_KINDS');
/** A match's group: tier, then field, then a finer grade within both (lower is better). */
const SUBS = 16;
const FIELDS = 4;
const groupOf = (tier: number, field: number, sub: number): number => (tier * FIELDS + field) * SUBS + (sub < SUBS ? sub : SUBS - 1);
const tierOfGroup = (group: number): number => group >> 6; // FIELDS * SUBS = 64
const GROUPS = MATCH_KINDS.length * FIELDS * SUBS;
const fieldOf = (kind: number): number => (kind >= CATEGORY ? VENUE : kind);

/** The best group there is: the whole title (or its own name) exactly. */
const EXACT_TITLE = groupOf(TIER.exact, TITLE, 0);

/** A text as typed, for comparing punctuation: NFKC, case-folded, without white space. */
const typedForm = (text: string): string => text.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');

/** No match (larger than every group). */
const NO_GROUP = 0x7fffffff;

/** Typo matching is a fallback: for a text the other classes found fewer runs for than this. */
const TYPO_WHEN_FEWER = 50;
/**
 * Descriptions are searched (last) for queries the other fields answer with fewer runs than this:
 * a synopsis word only ever follows title, artist, cast and venue matches, so past a few pages of
 * those it changes nothing a person sees.
 */
const DESCRIPTION_WHEN_FEWER = 200;
/** Most candidate terms checked for a typo match (those sharing the most characters with the query). */
const TYPO_CANDIDATES = 200;

/** Run attributes packed in one number: category (10 bits), region (6 bits), vendors (a 16-bit set). */
const CAT_MASK = 0x3ff;
const REGION_SHIFT = 10;
const REGION_MASK = 0x3f;
const SITE_SHIFT = 16;
/** Vendors the filters and facets know (more distinct ones are left out of both). */
const MAX_VENDORS = 16;

/** Ranks (and run positions) are packed below this in exact float keys: the index holds fewer runs. */
const RANK_SPAN = 2 ** 17;

/** The end date of a run that is always on. */
const OPEN_RUN = '상시공연';
const OPEN_END = 1 << 30;
const MUSICAL_OR_PLAY = '뮤지컬/연극';

/** Genre words a title may start with: `뮤지컬 레미제라블` is an exact match for `레미제라블`. */
const GENRE_PREFIXES = ['어린이뮤지컬', '가족뮤지컬', '창작뮤지컬', '뮤지컬', '연극', '콘서트', '오페라', '발레', '무용', '클래식'];
/** Brackets around a title's own name (`뮤지컬 〈레미제라블〉`). */
const BRACKETED = /[〈<《「『"“'‘\[]([^〉>》」』"”'’\]]+)[〉>》」』"”'’\]]/gu;

/** Keys of character-pair postings. */
const pairKey = (a: number, b: number): number => a * 65536 + b;

/** Days since 1970-01-01 of `YYYY.MM.DD` (NaN when it is not such a date). */
function dayNumber(date: string): number {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
}
const startDayOf = (date: string): number => {
  const n = dayNumber(date);
  return Number.isFinite(n) ? n : 0;
};
const endDayOf = (date: string): number => {
  if (date === OPEN_RUN) return OPEN_END;
  const n = dayNumber(date);
  return Number.isFinite(n) ? n : OPEN_END;
};

/** `뮤지컬/연극` matches 뮤지컬, 연극 and the combined label (as catalog/rules.ts `categoryMatches`). */
function categoryMatches(runCategory: string | null, wanted: string): boolean {
  if (wanted === MUSICAL_OR_PLAY) return runCategory === '뮤지컬' || runCategory === '연극' || runCategory === MUSICAL_OR_PLAY;
  return runCategory === wanted;
}

/**
 * The order of `texts` (ascending, by UTF-16 units): native sorts of small buckets (by the first
 * three units), with pauses between them; each text carries its position in two units after a NUL.
 */
async function sortTexts(texts: string[], pauses?: BuildPauses): Promise<Int32Array> {
  const buckets = new Map<string, string[]>();
  for (let i = 0; i < texts.length; i += 1) {
    const text = texts[i]!;
    const name = text.slice(0, 3);
    const tagged = `${text}\u0000${String.fromCharCode(i >>> 16, i & 0xffff)}`;
    const bucket = buckets.get(name);
    if (bucket === undefined) buckets.set(name, [tagged]);
    else bucket.push(tagged);
  }
  const out = new Int32Array(texts.length);
  let k = 0;
  for (const name of [...buckets.keys()].sort()) {
    for (const tagged of buckets.get(name)!.sort()) out[k++] = (tagged.charCodeAt(tagged.length - 2) << 16) | tagged.charCodeAt(tagged.length - 1);
    if (pauses) await pauses.next();
  }
  return out;
}

/** Postings: for each key, the ascending ids (terms or runs) that have it. */
class Postings {
  private readonly lists = new Map<number, number[]>();
  private frozen = new Map<number, Int32Array>();

  add(key: number, id: number): void {
    const list = this.lists.get(key);
    if (list === undefined) this.lists.set(key, [id]);
    else if (list[list.length - 1] !== id) list.push(id);
  }

  freeze(): void {
    let total = 0;
    for (const list of this.lists.values()) total += list.length;
    const all = new Int32Array(total);
    let at = 0;
    for (const [key, list] of this.lists) {
      all.set(list, at);
      this.frozen.set(key, all.subarray(at, at + list.length));
      at += list.length;
    }
    this.lists.clear();
  }

  get(key: number): Int32Array | undefined {
    return this.frozen.get(key);
  }

  keys(): IterableIterator<number> {
    return this.frozen.keys();
  }

  get entries(): number {
    let n = 0;
    for (const list of this.frozen.values()) n += list.length;
    return n;
  }
}

/** What one query text (the whole query, one word, or their Latin-layout reading) is matched with. */
interface Plan {
  /** Normalized, no spaces. */
  q: string;
  keys: string;
  /** The 초성 pattern, when the text is typed in 초성 (wholly or mixed with syllables). */
  cho: string | undefined;
  /** Mid-typing: the complete part before the last character, and the keys of that last character. */
  midPrefix: string;
  midKeys: string | undefined;
  /** Edits allowed for a typo match (0: none). */
  typo: number;
  /** Whether category and region terms count (words of a multi-word query). */
  categories: boolean;
  /**
   * The query as typed (case-folded, spaces removed) when it has punctuation that normalizing
   * drops (`모차르트!`): among exact title matches, the titles that contain it as typed come first.
   */
  typed?: string;
}

function makePlan(q: string, opts: { mid: boolean; categories: boolean; typo: boolean }): Plan {
  let consonants = 0;
  let syllables = 0;
  let latin = 0;
  for (let i = 0; i < q.length; i += 1) {
    const c = q.charCodeAt(i);
    if (isCompatConsonant(c)) consonants += 1;
    else if (isSyllable(c)) syllables += 1;
    else if (c < 0x80) latin += 1;
  }
  const lastCode = q.charCodeAt(q.length - 1);
  // `아이ㅇ`: one lone consonant at the end after syllables is a half-typed syllable, not 초성
  const halfTyped = consonants === 1 && syllables > 0 && isCompatConsonant(lastCode);
  const cho = consonants > 0 && !halfTyped ? choseong(q) : undefined;
  const lastIsHangul = isSyllable(lastCode) || isCompatConsonant(lastCode);
  const midKeys = opts.mid && lastIsHangul && !(q.length === 1 && isCompatConsonant(lastCode)) ? keysOf(lastCode) : undefined;
  const weight = syllables + latin / 2;
  const typo = !opts.typo || consonants > 0 ? 0 : weight >= 7 ? 2 : weight >= 4 ? 1 : 0;
  return { q, keys: toKeys(q), cho, midPrefix: q.slice(0, -1), midKeys, typo, categories: opts.categories };
}

/** Per-run results of one evaluation: the best group of each run reached. */
class Accumulator {
  readonly group: Int32Array;
  readonly stampOf: Int32Array;
  readonly list: Int32Array;
  count = 0;
  stamp = 0;

  constructor(n: number) {
    this.group = new Int32Array(n);
    this.stampOf = new Int32Array(n);
    this.list = new Int32Array(n);
  }

  reset(): void {
    this.stamp += 1;
    this.count = 0;
  }

  has(doc: number): boolean {
    return this.stampOf[doc] === this.stamp;
  }

  offer(doc: number, group: number): void {
    if (this.stampOf[doc] !== this.stamp) {
      this.stampOf[doc] = this.stamp;
      this.group[doc] = group;
      this.list[this.count++] = doc;
    } else if (group < this.group[doc]!) this.group[doc] = group;
  }
}

/** Per-context (today) orders and flags, computed once per day. */
interface ScanStats {
  total: number;
  /** Bit i: some result matched in tier i. */
  tiers: number;
  heapSize: number;
  facets: SearchFacets;
}

interface DayState {
  key: string;
  /** Position of each run in the business order (on sale, current, ended; popularity; nearest start; id). */
  bizRank: Int32Array;
  /** Bits 0–1: 0 on sale, 1 current, 2 ended; then 4 this weekend, 8 this month, 16 later. */
  bits: Uint8Array;
  /** Totals and facets of browsing without filters. */
  browse?: ScanStats;
  /** Day number of today. */
  today: number;
  /** Browse orders, made when first asked for. */
  orders: Partial<Record<SearchParams['sort'], Int32Array>>;
}

/** Scratch space of the semi-global edit distance. */
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);
let startA = new Int32Array(64);
let startB = new Int32Array(64);
let startC = new Int32Array(64);

/**
 * The fewest edits (substitution, insertion, deletion, swap of neighbours) that make `p` a
 * substring of `t`, when at most `k`; k + 1 otherwise. With `span`, also where in `t` that
 * substring starts and ends (span[0], span[1]).
 */
function approxDistance(p: string, t: string, k: number, span?: [number, number]): number {
  const m = p.length;
  const n = t.length;
  if (m === 0) return 0;
  if (m - k > n) return k + 1;
  if (rowA.length <= m) {
    const size = (m + 1) * 2;
    rowA = new Int32Array(size);
    rowB = new Int32Array(size);
    rowC = new Int32Array(size);
    startA = new Int32Array(size);
    startB = new Int32Array(size);
    startC = new Int32Array(size);
  }
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  let sPrev2 = startA;
  let sPrev = startB;
  let sCur = startC;
  for (let j = 0; j <= m; j += 1) {
    prev[j] = j;
    sPrev[j] = 0;
  }
  let best = m;
  let bestEnd = 0;
  let bestStart = 0;
  for (let i = 1; i <= n; i += 1) {
    const tc = t.charCodeAt(i - 1);
    cur[0] = 0;
    sCur[0] = i;
    let colMin = 0;
    for (let j = 1; j <= m; j += 1) {
      const pc = p.charCodeAt(j - 1);
      let v = prev[j - 1]! + (pc === tc ? 0 : 1);
      let s = sPrev[j - 1]!;
      const del = prev[j]! + 1;
      if (del < v) {
        v = del;
        s = sPrev[j]!;
      }
      const ins = cur[j - 1]! + 1;
      if (ins < v) {
        v = ins;
        s = sCur[j - 1]!;
      }
      if (i > 1 && j > 1 && pc === t.charCodeAt(i - 2) && p.charCodeAt(j - 2) === tc && prev2[j - 2]! + 1 < v) {
        v = prev2[j - 2]! + 1;
        s = sPrev2[j - 2]!;
      }
      cur[j] = v;
      sCur[j] = s;
      if (j === 1 || v < colMin) colMin = v;
    }
    if (cur[m]! < best) {
      best = cur[m]!;
      bestEnd = i;
      bestStart = sCur[m]!;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
    [sPrev2, sPrev, sCur] = [sPrev, sCur, sPrev2];
    if (best === 0 && !span) break;
  }
  if (span) {
    span[0] = bestStart;
    span[1] = bestEnd;
  }
  return best <= k ? best : k + 1;
}

class Index implements SearchIndex {
  readonly size: number;
  private readonly docs: readonly SearchDoc[];
  // terms
  private readonly termKind: Uint8Array;
  private readonly termText: string[];
  private readonly termNorm: string[];
  private readonly termCho: string[];
  private readonly termKeys: string[];
  /** For each title core (see titleCores), the title terms that have it. */
  private readonly coreTerms: Map<string, number[]>;
  /** Offset of each term's units in the per-unit arrays below. */
  private readonly termOff: Int32Array;
  private readonly unitKeyStart: Int32Array;
  private readonly unitWordStart: Uint8Array;
  private readonly unitFrom: Int32Array;
  private readonly unitTo: Int32Array;
  private readonly termDocStart: Int32Array;
  private readonly termDocs: Int32Array;
  private readonly termPopRank: Int32Array;
  private readonly termBestDoc: Int32Array;
  private readonly docTitleTerm: Int32Array;
  /** Every term of each run (title, artists, cast, venue, category, region). */
  private readonly docTermStart: Int32Array;
  private readonly docTermList: Int32Array;
  // postings over terms
  private readonly uni: Postings;
  private readonly bi: Postings;
  private readonly choUni: Postings;
  private readonly choBi: Postings;
  private readonly indexSyllables: number[];
  // description words: sorted vocabulary and its runs
  private readonly descWords: string[];
  private readonly descStart: Int32Array;
  private readonly descDocs: Int32Array;
  // runs
  private readonly startDay: Int32Array;
  private readonly endDay: Int32Array;
  private readonly hasTicket: Uint8Array;
  private readonly catValues: (string | null)[];
  private readonly regionValues: (string | null)[];
  private readonly siteValues: number[];
  private readonly docPack: Int32Array;
  private readonly popDense: Int32Array;
  private readonly idRank: Int32Array;
  private readonly idRankDoc: Int32Array;
  private readonly dateRank: Int32Array;
  // suggestions: word starts of titles, artists and venues, sorted by keys and by 초성
  private readonly sugKeys: string[];
  private readonly sugKeyTerm: Int32Array;
  private readonly sugKeyPos: Int32Array;
  private readonly sugCho: string[];
  private readonly sugChoTerm: Int32Array;
  private readonly sugChoPos: Int32Array;
  // scratch
  private day: DayState | undefined;
  private readonly whole: Accumulator;
  private readonly word: Accumulator;
  private readonly all: Accumulator;
  private readonly termStamp: Int32Array;
  private termStampNow = 0;
  private readonly candA: Int32Array;
  private readonly candB: Int32Array;
  private readonly unionStamp: Int32Array;
  private unionStampNow = 0;
  private readonly counts: Uint8Array;
  /** Category or region of a category or region term (its position in catValues / regionValues). */
  private readonly termAttr: Int32Array;
  /** The group each category / region matched with in the word being evaluated. */
  private readonly catMatch: Int32Array;
  private readonly regionMatch: Int32Array;
  private attrMatched = false;
  private readonly heapKey: Float64Array;
  private readonly heapDoc: Int32Array;
  private readonly catOk: Uint8Array;
  private readonly regionOk: Uint8Array;
  private readonly catCount: Int32Array;
  private readonly regionCount: Int32Array;
  private readonly siteCount: Int32Array;

  constructor(b: Built) {
    this.docs = b.docs;
    this.size = b.docs.length;
    this.termKind = b.termKind;
    this.termText = b.termText;
    this.termNorm = b.termNorm;
    this.termCho = b.termCho;
    this.termKeys = b.termKeys;
    this.coreTerms = b.coreTerms;
    this.termOff = b.termOff;
    this.unitKeyStart = b.unitKeyStart;
    this.unitWordStart = b.unitWordStart;
    this.unitFrom = b.unitFrom;
    this.unitTo = b.unitTo;
    this.termDocStart = b.termDocStart;
    this.termDocs = b.termDocs;
    this.termPopRank = b.termPopRank;
    this.termBestDoc = b.termBestDoc;
    this.docTitleTerm = b.docTitleTerm;
    this.docTermStart = b.docTermStart;
    this.docTermList = b.docTermList;
    this.uni = b.uni;
    this.bi = b.bi;
    this.choUni = b.choUni;
    this.choBi = b.choBi;
    this.indexSyllables = [...b.uni.keys()].filter(isSyllable);
    this.descWords = b.descWords;
    this.descStart = b.descStart;
    this.descDocs = b.descDocs;
    this.startDay = b.startDay;
    this.endDay = b.endDay;
    this.hasTicket = b.hasTicket;
    this.catValues = b.catValues;
    this.regionValues = b.regionValues;
    this.siteValues = b.siteValues;
    this.docPack = b.docPack;
    this.popDense = b.popDense;
    this.idRank = b.idRank;
    this.idRankDoc = b.idRankDoc;
    this.dateRank = b.dateRank;
    this.sugKeys = b.sugKeys;
    this.sugKeyTerm = b.sugKeyTerm;
    this.sugKeyPos = b.sugKeyPos;
    this.sugCho = b.sugCho;
    this.sugChoTerm = b.sugChoTerm;
    this.sugChoPos = b.sugChoPos;
    const n = this.size;
    const terms = this.termKind.length;
    this.whole = new Accumulator(n);
    this.word = new Accumulator(n);
    this.all = new Accumulator(n);
    this.termStamp = new Int32Array(terms);
    this.candA = new Int32Array(terms);
    this.candB = new Int32Array(terms);
    this.unionStamp = new Int32Array(terms);
    this.counts = new Uint8Array(terms);
    this.termAttr = b.termAttr;
    this.catMatch = new Int32Array(Math.min(this.catValues.length, CAT_MASK + 1)).fill(NO_GROUP);
    this.regionMatch = new Int32Array(Math.min(this.regionValues.length, REGION_MASK + 1)).fill(NO_GROUP);
    this.heapKey = new Float64Array(n + 1);
    this.heapDoc = new Int32Array(n + 1);
    this.catOk = new Uint8Array(this.catValues.length);
    this.regionOk = new Uint8Array(this.regionValues.length);
    this.catCount = new Int32Array(this.catValues.length);
    this.regionCount = new Int32Array(this.regionValues.length);
    this.siteCount = new Int32Array(this.siteValues.length);
  }

  // ---------------------------------------------------------------- per-day state

  private dayState(ctx: SearchContext): DayState {
    const key = `${ctx.today}|${ctx.saturday}|${ctx.sunday}|${ctx.monthEnd}`;
    if (this.day?.key === key) return this.day;
    const n = this.size;
    const today = dayNumber(ctx.today);
    const saturday = dayNumber(ctx.saturday);
    const sunday = dayNumber(ctx.sunday);
    const monthEnd = dayNumber(ctx.monthEnd);
    const bits = new Uint8Array(n);
    const keys = new Float64Array(n);
    const P50 = 2 ** 50;
    const P33 = 2 ** 33;
    const P17 = RANK_SPAN;
    for (let d = 0; d < n; d += 1) {
      const start = this.startDay[d]!;
      const end = this.endDay[d]!;
      const current = end >= today;
      const st = current ? (this.hasTicket[d] ? 0 : 1) : 2;
      let w = st;
      if (start <= sunday && end >= saturday) w |= 4;
      if (start <= monthEnd && end >= today) w |= 8;
      if (end > monthEnd) w |= 16;
      bits[d] = w;
      const distance = Math.min(65_535, Math.abs(start - today));
      keys[d] = st * P50 + Math.min(this.popDense[d]!, P17 - 1) * P33 + distance * P17 + this.idRank[d]!;
    }
    keys.sort();
    const bizRank = new Int32Array(n);
    for (let r = 0; r < n; r += 1) bizRank[this.idRankDoc[keys[r]! % P17]!] = r;
    this.day = { key, bizRank, bits, today, orders: {} };
    return this.day;
  }

  /** Where a run goes in the order of `sort` (lower first), given its match group. */
  private sortKey(sort: SearchParams['sort'], group: number, d: number, day: DayState): number {
    const n = this.size;
    if (sort === 'date') return ((day.bits[d]! & 3) === 2 ? n : 0) + this.dateRank[d]!;
    if (sort === 'popular') return this.popDense[d]! * n + day.bizRank[d]!;
    return group * n + day.bizRank[d]!;
  }

  /** Every run in the order of `sort` (browse), once per day. */
  private dayOrder(day: DayState, sort: SearchParams['sort']): Int32Array {
    const cached = day.orders[sort];
    if (cached) return cached;
    const n = this.size;
    const keys = new Float64Array(n);
    for (let d = 0; d < n; d += 1) keys[d] = this.sortKey(sort, 0, d, day) * RANK_SPAN + d;
    keys.sort();
    const order = new Int32Array(n);
    for (let i = 0; i < n; i += 1) order[i] = keys[i]! % RANK_SPAN;
    day.orders[sort] = order;
    return order;
  }

  // ---------------------------------------------------------------- candidates

  /** The intersection of up to three of the shortest lists (undefined when a key is missing: no candidates). */
  private intersect(lists: (Int32Array | undefined)[]): { ids: Int32Array; n: number } {
    const present: Int32Array[] = [];
    for (const l of lists) {
      if (l === undefined) return { ids: this.candA, n: 0 };
      present.push(l);
    }
    if (present.length === 0) return { ids: this.candA, n: 0 };
    present.sort((a, b) => a.length - b.length);
    let ids = present[0]!;
    let n = ids.length;
    let out = this.candA;
    for (let li = 1; li < Math.min(3, present.length); li += 1) {
      const other = present[li]!;
      let i = 0;
      let j = 0;
      let k = 0;
      while (i < n && j < other.length) {
        const a = ids[i]!;
        const b = other[j]!;
        if (a === b) {
          out[k++] = a;
          i += 1;
          j += 1;
        } else if (a < b) i += 1;
        else j += 1;
      }
      ids = out;
      n = k;
      out = out === this.candA ? this.candB : this.candA;
    }
    return { ids, n };
  }

  private pairLists(text: string, postings: Postings): (Int32Array | undefined)[] {
    const lists: (Int32Array | undefined)[] = [];
    if (text.length === 1) lists.push(postings === this.bi ? this.uni.get(text.charCodeAt(0)) : this.choUni.get(text.charCodeAt(0)));
    for (let i = 0; i + 1 < text.length; i += 1) lists.push(postings.get(pairKey(text.charCodeAt(i), text.charCodeAt(i + 1))));
    return lists;
  }

  // ---------------------------------------------------------------- matching one term

  /** Literal match (exact / word prefix / substring) of `q` in term t: the group, or -1; `span` gets the unit range. */
  private literal(t: number, q: string, cores: number[] | undefined, span?: [number, number]): number {
    const norm = this.termNorm[t]!;
    let i = norm.indexOf(q);
    if (i < 0) return -1;
    const kind = this.termKind[t]!;
    let sub = 2;
    let at = i;
    if (norm.length === q.length || (cores !== undefined && cores.includes(t))) {
      sub = 0;
      if (norm.length !== q.length) {
        // the core's own position (the first word-start occurrence)
        for (let p = i; p >= 0; p = norm.indexOf(q, p + 1)) {
          if (this.unitWordStart[this.termOff[t]! + p]) {
            at = p;
            break;
          }
        }
      }
    } else {
      for (; i >= 0; i = norm.indexOf(q, i + 1)) {
        if (this.unitWordStart[this.termOff[t]! + i]) {
          sub = 1;
          at = i;
          break;
        }
      }
    }
    if (span) {
      span[0] = at;
      span[1] = at + q.length;
    }
    if (kind === TITLE) return groupOf(sub === 0 ? TIER.exact : sub === 1 ? TIER.prefix : TIER.substring, TITLE, 0);
    const tier = kind === ARTIST ? TIER.artist : kind === CAST ? TIER.cast : TIER.venue;
    return groupOf(tier, fieldOf(kind), sub);
  }

  private choseong(t: number, plan: Plan, span?: [number, number]): number {
    const cho = this.termCho[t]!;
    const pattern = plan.cho!;
    const norm = this.termNorm[t]!;
    const q = plan.q;
    let best = -1;
    for (let i = cho.indexOf(pattern); i >= 0; i = cho.indexOf(pattern, i + 1)) {
      let ok = true;
      for (let j = 0; j < q.length; j += 1) {
        const c = q.charCodeAt(j);
        if (!isCompatConsonant(c) && norm.charCodeAt(i + j) !== c) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      const sub = i === 0 && cho.length === pattern.length ? 0 : this.unitWordStart[this.termOff[t]! + i] ? 1 : 2;
      if (best < 0 || sub < best) {
        best = sub;
        if (span) {
          span[0] = i;
          span[1] = i + pattern.length;
        }
      }
      if (sub <= 1) break;
    }
    return best < 0 ? -1 : groupOf(TIER.choseong, fieldOf(this.termKind[t]!), best);
  }

  private midTyping(t: number, plan: Plan, span?: [number, number]): number {
    const norm = this.termNorm[t]!;
    const keys = this.termKeys[t]!;
    const prefix = plan.midPrefix;
    const last = plan.midKeys!;
    const off = this.termOff[t]!;
    let best = -1;
    const tryAt = (p: number): boolean => {
      const at = p + prefix.length;
      if (at >= norm.length) return false;
      const keyAt = this.unitKeyStart[off + at]!;
      if (!keys.startsWith(last, keyAt)) return false;
      const sub = this.unitWordStart[off + p] ? 0 : 1;
      if (best < 0 || sub < best) {
        best = sub;
        if (span) {
          let end = at + 1;
          while (end < norm.length && this.unitKeyStart[off + end]! < keyAt + last.length) end += 1;
          span[0] = p;
          span[1] = end;
        }
      }
      return sub === 0;
    };
    if (prefix === '') {
      for (let p = 0; p < norm.length; p += 1) if (tryAt(p)) break;
    } else {
      for (let p = norm.indexOf(prefix); p >= 0; p = norm.indexOf(prefix, p + 1)) if (tryAt(p)) break;
    }
    return best < 0 ? -1 : groupOf(TIER.mid_typing, fieldOf(this.termKind[t]!), best);
  }

  private readonly span: [number, number] = [0, 0];

  private typo(t: number, plan: Plan, span?: [number, number]): number {
    const k = plan.typo;
    const bySyllable = approxDistance(plan.q, this.termNorm[t]!, 2 * k, span);
    if (bySyllable <= k && bySyllable > 0) return groupOf(TIER.typo, fieldOf(this.termKind[t]!), bySyllable);
    // a wrong key changes one syllable (two when a final moves): more is no typo of this text
    if (bySyllable > 2 * k) return -1;
    const keySpan = span ? this.span : undefined;
    const byKey = approxDistance(plan.keys, this.termKeys[t]!, k, keySpan);
    if (byKey > k || byKey === 0) return -1;
    if (span) {
      // key positions back to units
      const off = this.termOff[t]!;
      const norm = this.termNorm[t]!;
      let s = 0;
      while (s + 1 < norm.length && this.unitKeyStart[off + s + 1]! <= keySpan![0]) s += 1;
      let e = s + 1;
      while (e < norm.length && this.unitKeyStart[off + e]! < keySpan![1]) e += 1;
      span[0] = s;
      span[1] = e;
    }
    return groupOf(TIER.typo, fieldOf(this.termKind[t]!), byKey);
  }

  /** The best match of a plan in one term (for highlights): the group and the unit range, or -1. */
  private matchOne(t: number, plan: Plan, span: [number, number], typo = true): number {
    let g = this.literal(t, plan.q, this.coreTerms.get(plan.q), span);
    if (g >= 0) return g;
    if (plan.cho !== undefined && (g = this.choseong(t, plan, span)) >= 0) return g;
    if (plan.midKeys !== undefined && (g = this.midTyping(t, plan, span)) >= 0) return g;
    if (typo && plan.typo > 0 && (g = this.typo(t, plan, span)) >= 0) return g;
    return -1;
  }

  /** How many terms a word could match at most (its rarest character pair): to take the rarest word first. */
  private breadth(plan: Plan): number {
    const text = plan.cho ?? plan.q;
    const postings = plan.cho === undefined ? this.bi : this.choBi;
    let least = Infinity;
    for (const list of this.pairLists(text, postings)) least = Math.min(least, list?.length ?? 0);
    return least;
  }

  // ---------------------------------------------------------------- matching every term

  private emit(t: number, group: number, acc: Accumulator, layout: boolean): void {
    const g = layout ? groupOf(TIER.layout, fieldOf(this.termKind[t]!), tierOfGroup(group)) : group;
    const kind = this.termKind[t]!;
    if (kind >= CATEGORY) {
      // a category or region: kept as a predicate on the runs' attributes, not as thousands of runs
      const table = kind === CATEGORY ? this.catMatch : this.regionMatch;
      const a = this.termAttr[t]!;
      if (g < table[a]!) table[a] = g;
      this.attrMatched = true;
      return;
    }
    for (let i = this.termDocStart[t]!, end = this.termDocStart[t + 1]!; i < end; i += 1) acc.offer(this.termDocs[i]!, g);
  }

  /** Runs every matching class of a plan over its candidate terms, best tier first, into `acc`. */
  private evaluate(plan: Plan, acc: Accumulator, layout: boolean): void {
    const stamp = ++this.termStampNow;
    const marks = this.termStamp;
    const kinds = this.termKind;
    const skip = (t: number) => marks[t] === stamp || (!plan.categories && kinds[t]! >= CATEGORY);
    // exact, prefix, substring (and artist, cast, venue)
    {
      const { ids, n } = this.intersect(this.pairLists(plan.q, this.bi));
      const cores = this.coreTerms.get(plan.q);
      for (let i = 0; i < n; i += 1) {
        const t = ids[i]!;
        if (skip(t)) continue;
        let g = this.literal(t, plan.q, cores);
        // an exact title match that lacks the query's own punctuation comes after those that have it
        if (g === EXACT_TITLE && plan.typed !== undefined && !typedForm(this.termText[t]!).includes(plan.typed)) g += 1;
        if (g >= 0) {
          marks[t] = stamp;
          this.emit(t, g, acc, layout);
        }
      }
    }
    if (plan.cho !== undefined) {
      const { ids, n } = this.intersect(this.pairLists(plan.cho, this.choBi));
      for (let i = 0; i < n; i += 1) {
        const t = ids[i]!;
        if (skip(t)) continue;
        const g = this.choseong(t, plan);
        if (g >= 0) {
          marks[t] = stamp;
          this.emit(t, g, acc, layout);
        }
      }
    }
    if (plan.midKeys !== undefined) {
      const visit = (t: number) => {
        if (skip(t)) return;
        const g = this.midTyping(t, plan);
        if (g >= 0) {
          marks[t] = stamp;
          this.emit(t, g, acc, layout);
        }
      };
      const prefix = plan.midPrefix;
      const firstKey = plan.midKeys.charCodeAt(0);
      if (prefix !== '') {
        const lists = this.pairLists(prefix, this.bi);
        if (isCompatConsonant(firstKey))
          lists.push(this.choBi.get(pairKey(choseongOf(prefix.charCodeAt(prefix.length - 1)).charCodeAt(0), firstKey)));
        const { ids, n } = this.intersect(lists);
        for (let i = 0; i < n; i += 1) visit(ids[i]!);
      } else {
        // one half-typed syllable: the terms with a syllable its keys start, or that starts its keys
        const us = ++this.unionStampNow;
        const last = plan.midKeys;
        for (const code of this.indexSyllables) {
          const k = keysOf(code);
          if (!(k.startsWith(last) || last.startsWith(k))) continue;
          const list = this.uni.get(code)!;
          for (let i = 0; i < list.length; i += 1) {
            const t = list[i]!;
            if (this.unionStamp[t] === us) continue;
            this.unionStamp[t] = us;
            visit(t);
          }
        }
      }
    }
    if (plan.typo > 0 && acc.count < TYPO_WHEN_FEWER) {
      // candidates: terms with enough of the query's character pairs (one wrong syllable spoils
      // at most two of them), those with the most first
      const counts = this.counts;
      const touched = this.candB;
      let nTouched = 0;
      const seen = new Set<number>();
      for (let i = 0; i + 1 < plan.q.length; i += 1) seen.add(pairKey(plan.q.charCodeAt(i), plan.q.charCodeAt(i + 1)));
      let need = Math.max(1, seen.size - 2 * plan.typo);
      for (const key of seen) {
        const list = this.bi.get(key);
        if (list === undefined) continue;
        for (let i = 0; i < list.length; i += 1) {
          const t = list[i]!;
          if (counts[t] === 0) touched[nTouched++] = t;
          if (counts[t]! < 255) counts[t] = counts[t]! + 1;
        }
      }
      const byCount = new Int32Array(seen.size + 2);
      for (let i = 0; i < nTouched; i += 1) byCount[Math.min(counts[touched[i]!]!, seen.size)]! += 1;
      let wanted = 0;
      for (let c = seen.size; c >= need; c -= 1) {
        if (wanted > 0 && wanted + byCount[c]! > TYPO_CANDIDATES) {
          need = c + 1;
          break;
        }
        wanted += byCount[c]!;
      }
      let checked = 0;
      for (let i = 0; i < nTouched; i += 1) {
        const t = touched[i]!;
        const c = counts[t]!;
        counts[t] = 0;
        if (c < need || checked >= TYPO_CANDIDATES || skip(t)) continue;
        checked += 1;
        const g = this.typo(t, plan);
        if (g >= 0) {
          marks[t] = stamp;
          this.emit(t, g, acc, layout);
        }
      }
    }
  }

  /** Keeps the runs of `and` that have a term matching `plan` (exactly, 초성 or half-typed), with the worse group. */
  private keepRunsMatching(plan: Plan, and: Accumulator, layout: boolean): void {
    const span: [number, number] = [0, 0];
    let k = 0;
    for (let i = 0; i < and.count; i += 1) {
      const d = and.list[i]!;
      let best = NO_GROUP;
      for (let j = this.docTermStart[d]!; j < this.docTermStart[d + 1]!; j += 1) {
        const t = this.docTermList[j]!;
        let g = this.matchOne(t, plan, span, false);
        if (g < 0) continue;
        if (layout) g = groupOf(TIER.layout, fieldOf(this.termKind[t]!), tierOfGroup(g));
        if (g < best) best = g;
      }
      if (best === NO_GROUP) continue;
      if (best > and.group[d]!) and.group[d] = best;
      and.list[k++] = d;
    }
    and.count = k;
  }

  /** Runs whose description has words starting with every word of the query. */
  private description(words: string[], acc: Accumulator): void {
    const g = groupOf(TIER.description, 0, 0);
    if (words.length === 1) {
      const [lo, hi] = prefixRange(this.descWords, words[0]!);
      for (let i = lo; i < hi; i += 1) for (let j = this.descStart[i]!; j < this.descStart[i + 1]!; j += 1) acc.offer(this.descDocs[j]!, g);
      return;
    }
    const word = this.word;
    let first = true;
    const and = this.all;
    for (const w of words) {
      word.reset();
      let lo = 0;
      let hi = this.descWords.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.descWords[mid]! < w) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < this.descWords.length && this.descWords[i]!.startsWith(w); i += 1) {
        for (let j = this.descStart[i]!; j < this.descStart[i + 1]!; j += 1) word.offer(this.descDocs[j]!, 0);
      }
      if (first) {
        and.reset();
        for (let i = 0; i < word.count; i += 1) and.offer(word.list[i]!, 0);
        first = false;
      } else {
        let k = 0;
        for (let i = 0; i < and.count; i += 1) {
          const d = and.list[i]!;
          if (word.has(d)) and.list[k++] = d;
        }
        and.count = k;
      }
      if (and.count === 0) return;
    }
    for (let i = 0; i < and.count; i += 1) acc.offer(and.list[i]!, g);
  }

  /** The whole query (spaces ignored), and each word somewhere in a run when there are several, into `this.whole`. */
  private matchQuery(whole: string, words: string[], layout: boolean, typed?: string): Plan[] {
    const acc = this.whole;
    const wholePlan = makePlan(whole, { mid: whole.length >= 2, categories: false, typo: !layout });
    if (typed !== undefined && typed !== whole) wholePlan.typed = typed;
    const plans = [wholePlan];
    // each word somewhere first: when they find enough, the whole query needs no typo fallback
    if (words.length > 1) {
      const and = this.all;
      const word = this.word;
      and.reset();
      const wordPlans = words.map((w, wi) => makePlan(w, { mid: wi === words.length - 1 && w.length >= 2, categories: true, typo: !layout }));
      plans.push(...wordPlans);
      // the rarest word first; a later one is checked on the runs left when they have fewer terms
      // than the word's candidates
      const order = wordPlans.map((plan, wi) => [this.breadth(plan), wi] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      for (let oi = 0; oi < order.length; oi += 1) {
        const wi = order[oi]![1];
        const plan = wordPlans[wi]!;
        if (oi > 0 && and.count * (this.docTermList.length / Math.max(1, this.size)) < order[oi]![0]) {
          this.keepRunsMatching(plan, and, layout);
          if (and.count === 0) break;
          continue;
        }
        word.reset();
        this.catMatch.fill(NO_GROUP);
        this.regionMatch.fill(NO_GROUP);
        this.attrMatched = false;
        this.evaluate(plan, word, layout);
        const attrs = this.attrMatched;
        const wordGroup = (d: number): number => {
          let g = word.has(d) ? word.group[d]! : NO_GROUP;
          if (attrs) {
            const p = this.docPack[d]!;
            const c = this.catMatch[p & CAT_MASK]!;
            const r = this.regionMatch[(p >>> REGION_SHIFT) & REGION_MASK]!;
            if (c < g) g = c;
            if (r < g) g = r;
          }
          return g;
        };
        if (oi === 0) {
          if (attrs) {
            for (let d = 0; d < this.size; d += 1) {
              const g = wordGroup(d);
              if (g !== NO_GROUP) and.offer(d, g);
            }
          } else {
            for (let i = 0; i < word.count; i += 1) {
              const d = word.list[i]!;
              and.offer(d, word.group[d]!);
            }
          }
        } else {
          let k = 0;
          for (let i = 0; i < and.count; i += 1) {
            const d = and.list[i]!;
            const g = wordGroup(d);
            if (g === NO_GROUP) continue;
            if (g > and.group[d]!) and.group[d] = g;
            and.list[k++] = d;
          }
          and.count = k;
        }
        if (and.count === 0) break;
      }
      for (let i = 0; i < and.count; i += 1) {
        const d = and.list[i]!;
        acc.offer(d, and.group[d]!);
      }
    }
    this.evaluate(wholePlan, acc, layout);
    return plans;
  }

  // ---------------------------------------------------------------- search

  search(params: SearchParams, ctx: SearchContext): SearchPage {
    const day = this.dayState(ctx);
    const words = queryWords(params.q);
    const whole = words.join('');
    const browse = whole === '';
    let plans: Plan[] = [];
    let layoutPlans: Plan[] = [];
    const acc = this.whole;
    acc.reset();
    if (!browse) {
      plans = this.matchQuery(whole, words, false, typedForm(params.q));
      const converted = layoutReading(params.q);
      if (converted !== undefined) layoutPlans = this.matchQuery(converted.join(''), converted, true);
      if (acc.count < DESCRIPTION_WHEN_FEWER) this.description(words, acc);
    }

    const n = this.size;
    const sort = params.sort;
    const offset = (params.page - 1) * params.size;
    const want = Math.max(0, Math.min(offset + params.size, n));
    const unfiltered =
      params.categories.length === 0 &&
      params.regions.length === 0 &&
      params.vendors.length === 0 &&
      params.from === undefined &&
      params.to === undefined &&
      !params.onSale;
    let stats: ScanStats;
    const pageDocs: number[] = [];
    const pageKeys: number[] = [];
    if (browse && unfiltered) {
      // the day's counts, and the page straight from the day's order
      stats = day.browse ??= this.scan(params, day, undefined, n, undefined, 0);
      const order = this.dayOrder(day, sort);
      for (let i = offset; i < Math.min(n, offset + params.size); i += 1) {
        pageDocs.push(order[i]!);
        pageKeys.push(this.sortKey(sort, 0, order[i]!, day));
      }
    } else if (browse) {
      // in the sort's order: the page is the passing runs at [offset, offset + size)
      stats = this.scan(params, day, undefined, n, undefined, 0);
      const order = this.dayOrder(day, sort);
      this.scanPage(params, day, order, offset, params.size, pageDocs);
      for (const d of pageDocs) pageKeys.push(this.sortKey(sort, 0, d, day));
    } else {
      // many matches: a sequential pass over every run is kinder to the caches than their list
      stats =
        acc.count > this.size / 8
          ? this.scan(params, day, undefined, this.size, acc.group, want, acc)
          : this.scan(params, day, acc.list, acc.count, acc.group, want);
      const heapSize = stats.heapSize;
      if (heapSize > offset) {
        const order = Array.from({ length: heapSize }, (_, i) => i).sort((a, b) => this.heapKey[a]! - this.heapKey[b]!);
        for (let i = offset; i < Math.min(heapSize, offset + params.size); i += 1) {
          pageDocs.push(this.heapDoc[order[i]!]!);
          pageKeys.push(this.heapKey[order[i]!]!);
        }
      }
    }

    const groups = acc.group;
    const maxKey = sort === 'date' ? 2 * n : sort === 'popular' ? (n + 1) * n : GROUPS * n;
    const hits: SearchHit[] = pageDocs.map((d, i) => {
      const tier = browse ? -1 : tierOfGroup(groups[d]!);
      return {
        index: d,
        id: this.docs[d]!.id,
        score: Math.round(((maxKey - pageKeys[i]!) / n) * 1e6) / 1e6,
        matchedAs: browse ? 'exact' : MATCH_KINDS[tier]!,
        highlights: { title: browse || tier === TIER.description ? [] : this.highlights(d, tier === TIER.layout ? layoutPlans : plans) },
      };
    });
    return {
      normalized: browse ? '' : words.join(' '),
      matchedAs: browse ? [] : MATCH_KINDS.filter((_, i) => (stats.tiers & (1 << i)) !== 0),
      total: stats.total,
      hits,
      facets: stats.facets,
    };
  }

  /** Sets the per-value filter tables; returns the vendor mask wanted (-1: any). */
  private prepareFilters(params: SearchParams): number {
    const catOk = this.catOk;
    const regionOk = this.regionOk;
    for (let c = 0; c < catOk.length; c += 1) {
      catOk[c] = params.categories.length === 0 || params.categories.some((w) => categoryMatches(this.catValues[c]!, w)) ? 1 : 0;
    }
    for (let r = 0; r < regionOk.length; r += 1) regionOk[r] = params.regions.length === 0 || params.regions.includes(this.regionValues[r]!) ? 1 : 0;
    if (params.vendors.length === 0) return -1;
    let mask = 0;
    for (let v = 0; v < Math.min(MAX_VENDORS, this.siteValues.length); v += 1) if (params.vendors.includes(this.siteValues[v]!)) mask |= 1 << v;
    return mask;
  }

  /**
   * One pass over candidate runs: filters, disjunctive facet counts, `when` counts, the tiers
   * seen, and (when `want` > 0) the `want` first in the sort's order in the heap.
   */
  private scan(
    params: SearchParams,
    day: DayState,
    list: Int32Array | undefined,
    count: number,
    groups: Int32Array | undefined,
    want: number,
    matched?: Accumulator,
  ): ScanStats {
    const stampOf = matched?.stampOf;
    const stamp = matched?.stamp ?? 0;
    const n = this.size;
    const siteMask = this.prepareFilters(params);
    const catOk = this.catOk;
    const regionOk = this.regionOk;
    const catCount = this.catCount.fill(0);
    const regionCount = this.regionCount.fill(0);
    const siteCount = this.siteCount.fill(0);
    const pack = this.docPack;
    const bits = day.bits;
    const bizRank = day.bizRank;
    const popDense = this.popDense;
    const dateRank = this.dateRank;
    const startDay = this.startDay;
    const endDay = this.endDay;
    const onSale = params.onSale;
    const from = params.from === undefined ? undefined : dayNumber(params.from);
    const to = params.to === undefined ? undefined : dayNumber(params.to);
    const dated = from !== undefined || to !== undefined;
    const sort = params.sort === 'date' ? 1 : params.sort === 'popular' ? 2 : 0;
    const heapKey = this.heapKey;
    const heapDoc = this.heapDoc;
    let heapSize = 0;
    let total = 0;
    let tiers = 0;
    let weekend = 0;
    let month = 0;
    let later = 0;
    for (let i = 0; i < count; i += 1) {
      const d = list === undefined ? i : list[i]!;
      if (stampOf !== undefined && stampOf[d] !== stamp) continue;
      const b = bits[d]!;
      if (onSale && (b & 3) !== 0) continue;
      if (dated && ((from !== undefined && endDay[d]! < from) || (to !== undefined && startDay[d]! > to))) continue;
      const p = pack[d]!;
      const cat = p & CAT_MASK;
      const region = (p >>> REGION_SHIFT) & REGION_MASK;
      const sites = p >>> SITE_SHIFT;
      const catPass = catOk[cat]!;
      const regionPass = regionOk[region]!;
      const sitePass = siteMask === -1 || (sites & siteMask) !== 0 ? 1 : 0;
      if (regionPass & sitePass) catCount[cat] = catCount[cat]! + 1;
      if (catPass & sitePass) regionCount[region] = regionCount[region]! + 1;
      if (catPass & regionPass) {
        for (let m = sites; m !== 0; m &= m - 1) {
          const v = 31 - Math.clz32(m & -m);
          siteCount[v] = siteCount[v]! + 1;
        }
        if (sitePass === 0) continue;
      } else continue;
      total += 1;
      if (b & 4) weekend += 1;
      if (b & 8) month += 1;
      if (b & 16) later += 1;
      const g = groups === undefined ? 0 : groups[d]!;
      tiers |= 1 << (g >> 6);
      if (want === 0) continue;
      const key = sort === 0 ? g * n + bizRank[d]! : sort === 1 ? ((b & 3) === 2 ? n : 0) + dateRank[d]! : popDense[d]! * n + bizRank[d]!;
      if (heapSize < want) {
        let at = heapSize++;
        while (at > 0) {
          const parent = (at - 1) >> 1;
          if (heapKey[parent]! >= key) break;
          heapKey[at] = heapKey[parent]!;
          heapDoc[at] = heapDoc[parent]!;
          at = parent;
        }
        heapKey[at] = key;
        heapDoc[at] = d;
      } else if (key < heapKey[0]!) {
        let at = 0;
        for (;;) {
          const l = 2 * at + 1;
          if (l >= heapSize) break;
          const r = l + 1;
          const c = r < heapSize && heapKey[r]! > heapKey[l]! ? r : l;
          if (heapKey[c]! <= key) break;
          heapKey[at] = heapKey[c]!;
          heapDoc[at] = heapDoc[c]!;
          at = c;
        }
        heapKey[at] = key;
        heapDoc[at] = d;
      }
    }
    const when: FacetCount<When>[] = [];
    if (weekend > 0) when.push({ value: 'this_weekend', count: weekend });
    if (month > 0) when.push({ value: 'this_month', count: month });
    if (later > 0) when.push({ value: 'later', count: later });
    return {
      total,
      tiers,
      heapSize,
      facets: {
        category: facet(this.catValues, catCount),
        region: facet(this.regionValues, regionCount),
        vendor: facet(this.siteValues, siteCount),
        when,
      },
    };
  }

  /** The runs at [offset, offset + size) of those in `order` that pass every filter. */
  private scanPage(params: SearchParams, day: DayState, order: Int32Array, offset: number, size: number, out: number[]): void {
    const siteMask = this.prepareFilters(params);
    const from = params.from === undefined ? undefined : dayNumber(params.from);
    const to = params.to === undefined ? undefined : dayNumber(params.to);
    let passed = 0;
    for (let i = 0; i < order.length && out.length < size; i += 1) {
      const d = order[i]!;
      if (params.onSale && (day.bits[d]! & 3) !== 0) continue;
      if (from !== undefined && this.endDay[d]! < from) continue;
      if (to !== undefined && this.startDay[d]! > to) continue;
      const p = this.docPack[d]!;
      if (!this.catOk[p & CAT_MASK] || !this.regionOk[(p >>> REGION_SHIFT) & REGION_MASK]) continue;
      if (siteMask !== -1 && ((p >>> SITE_SHIFT) & siteMask) === 0) continue;
      if (passed++ >= offset) out.push(d);
    }
  }

  /** Title ranges of the first plan that matches the title whole, else of each word that does. */
  private highlights(doc: number, plans: Plan[]): Highlight[] {
    const t = this.docTitleTerm[doc]!;
    const span: [number, number] = [0, 0];
    const units: [number, number][] = [];
    if (plans.length > 0 && this.matchOne(t, plans[0]!, span) >= 0) units.push([span[0], span[1]]);
    else {
      for (let i = 1; i < plans.length; i += 1) {
        if (this.matchOne(t, plans[i]!, span) >= 0) units.push([span[0], span[1]]);
      }
    }
    const off = this.termOff[t]!;
    const out: Highlight[] = units
      .filter(([s, e]) => e > s)
      .map(([s, e]): Highlight => [this.unitFrom[off + s]!, this.unitTo[off + e - 1]!])
      .sort((a, b) => a[0] - b[0]);
    const merged: Highlight[] = [];
    for (const h of out) {
      const last = merged[merged.length - 1];
      if (last && h[0] <= last[1]) last[1] = Math.max(last[1], h[1]);
      else merged.push(h);
    }
    return merged;
  }

  // ---------------------------------------------------------------- suggest

  suggest(q: string, limit: number): Suggestion[] {
    if (limit <= 0) return [];
    const qn = normalize(q);
    if (qn === '') return [];
    const top = new TopK(limit * 3 + 4);
    this.suggestFor(qn, 0, top);
    const converted = layoutReading(q);
    if (converted !== undefined) this.suggestFor(converted.join(''), 6, top);
    const out: Suggestion[] = [];
    const texts = new Set<string>();
    for (const t of top.sorted()) {
      const text = this.termText[t]!;
      if (texts.has(text)) continue;
      texts.add(text);
      const kind = this.termKind[t]!;
      const s: Suggestion = { text, kind: SUGGESTION_KIND[kind]! };
      if (kind === TITLE) s.id = this.docs[this.termBestDoc[t]!]!.id;
      out.push(s);
      if (out.length >= limit) break;
    }
    return out;
  }

  private suggestFor(qn: string, tierBase: number, top: TopK): void {
    const plan = makePlan(qn, { mid: true, categories: false, typo: false });
    const popRank = this.termPopRank;
    const kinds = this.termKind;
    const keyFor = (tier: number, t: number) => (((tierBase + tier) * 2 ** 18 + Math.min(popRank[t]!, 2 ** 18 - 1)) * 4 + kinds[t]!) * 2 ** 21 + t;
    const pureCho = plan.cho !== undefined && plan.cho === qn;
    if (!pureCho) {
      const keys = plan.keys;
      const [lo, hi] = prefixRange(this.sugKeys, keys.slice(0, SUGGEST_KEYS));
      for (let i = lo; i < hi; i += 1) {
        const t = this.sugKeyTerm[i]!;
        const p = this.sugKeyPos[i]!;
        // the best this entry could be: skip it without reading its text when that is not enough
        if (top.full && keyFor(p === 0 ? 0 : 2, t) >= top.worst) continue;
        const norm = this.termNorm[t]!;
        if (keys.length > SUGGEST_KEYS && !this.termKeys[t]!.startsWith(keys, this.unitKeyStart[this.termOff[t]! + p]!)) continue;
        let tier: number;
        if (norm.startsWith(qn, p)) tier = p === 0 ? (norm.length === qn.length ? 0 : 1) : 2;
        else if (plan.midKeys !== undefined) tier = 4;
        else continue;
        top.offer(keyFor(tier, t), t);
      }
    }
    if (plan.cho !== undefined) {
      const [lo, hi] = prefixRange(this.sugCho, plan.cho.slice(0, SUGGEST_CHO));
      for (let i = lo; i < hi; i += 1) {
        const t = this.sugChoTerm[i]!;
        const p = this.sugChoPos[i]!;
        const key = keyFor(3, t);
        if (top.full && key >= top.worst) continue;
        if (!pureCho || plan.cho.length > SUGGEST_CHO) {
          const norm = this.termNorm[t]!;
          if (!this.termCho[t]!.startsWith(plan.cho, p)) continue;
          let ok = true;
          for (let j = 0; j < qn.length && ok; j += 1) {
            const c = qn.charCodeAt(j);
            if (!isCompatConsonant(c) && norm.charCodeAt(p + j) !== c) ok = false;
          }
          if (!ok) continue;
        }
        top.offer(key, t);
      }
    }
    if (!top.full && qn.length >= 2 && !pureCho) {
      // substrings inside words, a bounded number of candidates
      const { ids, n } = this.intersect(this.pairLists(qn, this.bi));
      for (let i = 0, seen = 0; i < n && seen < 2000; i += 1) {
        const t = ids[i]!;
        const kind = kinds[t]!;
        if (kind === CAST || kind >= CATEGORY) continue;
        seen += 1;
        if (this.termNorm[t]!.includes(qn)) top.offer(keyFor(5, t), t);
      }
    }
  }
}

/**
 * The query as typed with the keyboard on the Latin layout: each run of Latin letters that reads
 * as Hangul syllables (a lone consonant may end it, half-typed) is replaced (`fpalwpfkqmf` →
 * 레미제라블, `dkdldb 10주년` → 아이유 10주년); undefined when no run reads so (`BTS`, `wicked`).
 */
export function layoutReading(query: string): string[] | undefined {
  if (!hasLatin(query)) return undefined;
  let changed = false;
  const text = query.normalize('NFC').replace(/[A-Za-z]+/g, (run) => {
    const hangul = fromLatinLayout(run);
    let syllables = 0;
    for (let i = 0; i < hangul.length; i += 1) {
      const c = hangul.charCodeAt(i);
      if (isSyllable(c)) syllables += 1;
      else if (!(i === hangul.length - 1 && isCompatConsonant(c))) return run;
    }
    if (syllables === 0) return run;
    changed = true;
    return hangul;
  });
  return changed ? queryWords(text) : undefined;
}

const SUGGESTION_KIND: (SuggestionKind | undefined)[] = ['title', 'artist', undefined, 'venue', undefined, undefined];

/** [lo, hi) of the sorted strings that start with `prefix`. */
function prefixRange(sorted: string[], prefix: string): [number, number] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const start = lo;
  hi = sorted.length;
  const upper = prefix + '\uffff';
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < upper) lo = mid + 1;
    else hi = mid;
  }
  return [start, lo];
}

/** The k smallest keys (with their term). */
class TopK {
  private readonly keys: number[] = [];
  private readonly ids: number[] = [];
  constructor(readonly capacity: number) {}
  get size(): number {
    return this.keys.length;
  }
  get full(): boolean {
    return this.keys.length >= this.capacity;
  }
  /** The largest key kept (meaningful when full). */
  get worst(): number {
    return this.keys[this.keys.length - 1]!;
  }
  offer(key: number, id: number): void {
    const keys = this.keys;
    if (keys.length >= this.capacity && key >= keys[keys.length - 1]!) return;
    let at = keys.length;
    while (at > 0 && keys[at - 1]! > key) at -= 1;
    // the same term already here with a better key
    for (let i = 0; i < at; i += 1) if (this.ids[i] === id) return;
    keys.splice(at, 0, key);
    this.ids.splice(at, 0, id);
    for (let i = at + 1; i < keys.length; i += 1) {
      if (this.ids[i] === id) {
        keys.splice(i, 1);
        this.ids.splice(i, 1);
        break;
      }
    }
    if (keys.length > this.capacity) {
      keys.pop();
      this.ids.pop();
    }
  }
  sorted(): number[] {
    return this.ids;
  }
}

function facet<V extends string | number>(values: (V | null)[], counts: Int32Array): FacetCount<V>[] {
  const out: FacetCount<V>[] = [];
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i];
    if (v !== null && v !== undefined && counts[i]! > 0) out.push({ value: v, count: counts[i]! });
  }
  return out.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

interface Built {
  docs: readonly SearchDoc[];
  termKind: Uint8Array;
  termText: string[];
  termNorm: string[];
  termCho: string[];
  termKeys: string[];
  coreTerms: Map<string, number[]>;
  termOff: Int32Array;
  unitKeyStart: Int32Array;
  unitWordStart: Uint8Array;
  unitFrom: Int32Array;
  unitTo: Int32Array;
  termDocStart: Int32Array;
  termDocs: Int32Array;
  termPopRank: Int32Array;
  termBestDoc: Int32Array;
  docTitleTerm: Int32Array;
  docTermStart: Int32Array;
  docTermList: Int32Array;
  uni: Postings;
  bi: Postings;
  choUni: Postings;
  choBi: Postings;
  descWords: string[];
  descStart: Int32Array;
  descDocs: Int32Array;
  startDay: Int32Array;
  endDay: Int32Array;
  hasTicket: Uint8Array;
  catId: Int32Array;
  catValues: (string | null)[];
  regionId: Int32Array;
  regionValues: (string | null)[];
  siteStart: Int32Array;
  siteDense: Int32Array;
  siteValues: number[];
  docPack: Int32Array;
  termAttr: Int32Array;
  popDense: Int32Array;
  idRank: Int32Array;
  idRankDoc: Int32Array;
  dateRank: Int32Array;
  sugKeys: string[];
  sugKeyTerm: Int32Array;
  sugKeyPos: Int32Array;
  sugCho: string[];
  sugChoTerm: Int32Array;
  sugChoPos: Int32Array;
}

/** Title variants that count as the whole title: the title, a bracketed name in it, the title after a genre word. */
function titleCores(title: string, norm: string): string[] | undefined {
  const cores = new Set<string>();
  for (const m of title.matchAll(BRACKETED)) {
    const core = normalize(m[1]!);
    if (core !== '' && core !== norm) cores.add(core);
  }
  for (const genre of GENRE_PREFIXES) {
    if (norm.startsWith(genre) && norm.length > genre.length) {
      cores.add(norm.slice(genre.length));
      break;
    }
  }
  return cores.size > 0 ? [...cores] : undefined;
}

/** Description words: Hangul, jamo, Latin letters and digits (a plain class: fast on long texts). */
const DESCRIPTION_SPLIT = /[^0-9a-z\u3131-\u318e\uac00-\ud7a3]+/;
/** How many words of a description are indexed: the synopsis's opening, where the run is described. */
const DESCRIPTION_CHARS = 200;
/** Keys of a suggestion entry (a word start): enough for any completion typed. */
const SUGGEST_KEYS = 24;
/** 초성 of a suggestion entry. */
const SUGGEST_CHO = 12;

/**
 * Builds the index of `docs` (the service's runs, in its order: hits carry their position).
 * Calls `pauses.next()` between small steps, so a build on the event loop lets requests in.
 */
export async function buildSearchIndex(docs: readonly SearchDoc[], pauses?: BuildPauses): Promise<SearchIndex> {
  const n = docs.length;
  if (n >= RANK_SPAN) throw new Error(`the search index holds at most ${RANK_SPAN - 1} runs (got ${n})`);
  // terms: each distinct text of each kind once
  const termIds = Array.from({ length: REGION + 1 }, () => new Map<string, number>());
  const termKind: number[] = [];
  const termText: string[] = [];
  const termDocsList: number[][] = [];
  const docTitleTerm = new Int32Array(n);
  const docTermStart = new Int32Array(n + 1);
  const docTermListArr: number[] = [];
  const termOf = (kind: number, text: string, doc: number): number => {
    const t = termFor(kind, text, doc);
    docTermListArr.push(t);
    return t;
  };
  const termFor = (kind: number, text: string, doc: number): number => {
    const ids = termIds[kind]!;
    let t = ids.get(text);
    if (t === undefined) {
      t = termKind.length;
      ids.set(text, t);
      termKind.push(kind);
      termText.push(text);
      termDocsList.push([doc]);
    } else {
      const list = termDocsList[t]!;
      if (list[list.length - 1] !== doc) list.push(doc);
    }
    return t;
  };
  const catIds = new Map<string | null, number>();
  const regionIds = new Map<string | null, number>();
  const siteIds = new Map<number, number>();
  const catId = new Int32Array(n);
  const regionId = new Int32Array(n);
  const siteStart = new Int32Array(n + 1);
  const siteDenseList: number[] = [];
  const startDay = new Int32Array(n);
  const endDay = new Int32Array(n);
  const hasTicket = new Uint8Array(n);
  const descTerms = new Map<string, number[]>();
  for (let d = 0; d < n; d += 1) {
    const doc = docs[d]!;
    docTermStart[d] = docTermListArr.length;
    docTitleTerm[d] = termOf(TITLE, doc.title, d);
    for (const a of doc.artists) if (a.trim() !== '') termOf(ARTIST, a, d);
    for (const c of doc.cast) if (c.trim() !== '') termOf(CAST, c, d);
    if (doc.location !== null && doc.location.trim() !== '') termOf(VENUE, doc.location, d);
    if (doc.category !== null && doc.category.trim() !== '') termOf(CATEGORY, doc.category, d);
    if (doc.region !== null && doc.region.trim() !== '') termOf(REGION, doc.region, d);
    const id = (map: Map<string | null, number>, v: string | null) => {
      let i = map.get(v);
      if (i === undefined) map.set(v, (i = map.size));
      return i;
    };
    catId[d] = id(catIds, doc.category);
    regionId[d] = id(regionIds, doc.region);
    siteStart[d] = siteDenseList.length;
    for (const s of doc.sites) {
      let i = siteIds.get(s);
      if (i === undefined) siteIds.set(s, (i = siteIds.size));
      siteDenseList.push(i);
    }
    startDay[d] = startDayOf(doc.start_date);
    endDay[d] = endDayOf(doc.end_date);
    hasTicket[d] = doc.hasTicketUrl ? 1 : 0;
    if (doc.description !== null && doc.description !== '') {
      const seen = new Set<string>();
      for (const raw of doc.description.slice(0, DESCRIPTION_CHARS).normalize('NFKC').toLowerCase().split(DESCRIPTION_SPLIT)) {
        if (raw.length < 2 || seen.has(raw)) continue;
        seen.add(raw);
        const list = descTerms.get(raw);
        if (list === undefined) descTerms.set(raw, [d]);
        else list.push(d);
      }
    }
    if (pauses) await pauses.next();
  }
  siteStart[n] = siteDenseList.length;
  docTermStart[n] = docTermListArr.length;

  // the term spellings, per unit positions, and postings
  const terms = termKind.length;
  const termNorm: string[] = new Array<string>(terms);
  const termCho: string[] = new Array<string>(terms);
  const termKeys: string[] = new Array<string>(terms);
  const coreTerms = new Map<string, number[]>();
  const termOff = new Int32Array(terms + 1);
  const keyStart: number[] = [];
  const wordStart: number[] = [];
  const unitFrom: number[] = [];
  const unitTo: number[] = [];
  const uni = new Postings();
  const bi = new Postings();
  const choUni = new Postings();
  const choBi = new Postings();
  for (let t = 0; t < terms; t += 1) {
    const mapped = normalizeMapped(termText[t]!.normalize('NFC'));
    const norm = mapped.text;
    termNorm[t] = norm;
    const cho = choseong(norm);
    termCho[t] = cho;
    termOff[t] = keyStart.length;
    let keys = '';
    for (let i = 0; i < norm.length; i += 1) {
      keyStart.push(keys.length);
      keys += keysOf(norm.charCodeAt(i));
      wordStart.push(mapped.wordStart[i] ? 1 : 0);
      unitFrom.push(mapped.from[i]!);
      unitTo.push(mapped.to[i]!);
      const c = norm.charCodeAt(i);
      uni.add(c, t);
      const h = cho.charCodeAt(i);
      if (isCompatConsonant(h)) choUni.add(h, t);
      if (i + 1 < norm.length) {
        bi.add(pairKey(c, norm.charCodeAt(i + 1)), t);
        choBi.add(pairKey(h, cho.charCodeAt(i + 1)), t);
      }
    }
    termKeys[t] = keys;
    if (termKind[t] === TITLE) {
      for (const core of titleCores(termText[t]!, norm) ?? []) {
        const list = coreTerms.get(core);
        if (list === undefined) coreTerms.set(core, [t]);
        else list.push(t);
      }
    }
    if (pauses && t % 4 === 0) await pauses.next();
  }
  termOff[terms] = keyStart.length;
  uni.freeze();
  bi.freeze();
  choUni.freeze();
  choBi.freeze();
  if (pauses) await pauses.next();

  // runs of each term
  const termDocStart = new Int32Array(terms + 1);
  let totalDocs = 0;
  for (let t = 0; t < terms; t += 1) {
    termDocStart[t] = totalDocs;
    totalDocs += termDocsList[t]!.length;
  }
  termDocStart[terms] = totalDocs;
  const termDocs = new Int32Array(totalDocs);
  const termBestDoc = new Int32Array(terms);
  const termPop = new Float64Array(terms);
  for (let t = 0; t < terms; t += 1) {
    const list = termDocsList[t]!;
    termDocs.set(list, termDocStart[t]!);
    let best = list[0]!;
    for (const d of list) if (docs[d]!.popularity > docs[best]!.popularity) best = d;
    termBestDoc[t] = best;
    termPop[t] = docs[best]!.popularity;
  }
  if (pauses) await pauses.next();

  // popularity as dense ranks (equal views, equal rank)
  const denseRanks = (values: ArrayLike<number>): Int32Array => {
    const distinct = [...new Set(Array.from(values))].sort((a, b) => b - a);
    const rankOf = new Map(distinct.map((v, i) => [v, i]));
    const out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i += 1) out[i] = rankOf.get(values[i]!)!;
    return out;
  };
  const popDense = denseRanks(docs.map((d) => (Number.isFinite(d.popularity) ? d.popularity : 0)));
  const termPopRank = denseRanks(termPop);
  if (pauses) await pauses.next();

  // id order (the last tie-break) and date order
  const byId = await sortTexts(
    docs.map((d) => d.id),
    pauses,
  );
  const idRank = new Int32Array(n);
  for (let r = 0; r < n; r += 1) idRank[byId[r]!] = r;
  const dateKeys = new Float64Array(n);
  for (let d = 0; d < n; d += 1) dateKeys[d] = (startDay[d]! + 2 ** 20) * RANK_SPAN + idRank[d]!;
  dateKeys.sort();
  const dateRank = new Int32Array(n);
  for (let r = 0; r < n; r += 1) dateRank[byId[dateKeys[r]! % RANK_SPAN]!] = r;
  if (pauses) await pauses.next();

  // description vocabulary
  const descWords = [...descTerms.keys()].sort();
  const descStart = new Int32Array(descWords.length + 1);
  let descTotal = 0;
  for (let i = 0; i < descWords.length; i += 1) {
    descStart[i] = descTotal;
    descTotal += descTerms.get(descWords[i]!)!.length;
  }
  descStart[descWords.length] = descTotal;
  const descDocs = new Int32Array(descTotal);
  for (let i = 0; i < descWords.length; i += 1) descDocs.set(descTerms.get(descWords[i]!)!, descStart[i]!);
  descTerms.clear();
  if (pauses) await pauses.next();

  // suggestion entries: every word start of titles, artists and venues
  const sugTerm: number[] = [];
  const sugPos: number[] = [];
  const sugKeyText: string[] = [];
  const sugChoText: string[] = [];
  for (let t = 0; t < terms; t += 1) {
    const kind = termKind[t];
    if (kind !== TITLE && kind !== ARTIST && kind !== VENUE) continue;
    const off = termOff[t]!;
    const norm = termNorm[t]!;
    for (let p = 0; p < norm.length; p += 1) {
      if (!wordStart[off + p]) continue;
      sugTerm.push(t);
      sugPos.push(p);
      const ks = keyStart[off + p]!;
      sugKeyText.push(termKeys[t]!.slice(ks, ks + SUGGEST_KEYS));
      sugChoText.push(termCho[t]!.slice(p, p + SUGGEST_CHO));
    }
    if (pauses && t % 16 === 0) await pauses.next();
  }
  const sugKeyOrder = await sortTexts(sugKeyText, pauses);
  const sugChoOrder = await sortTexts(sugChoText, pauses);
  const pick = (order: Int32Array, from: number[]) => Int32Array.from(order, (i) => from[i]!);

  // category, region and vendors of each run in one number
  const docPack = new Int32Array(n);
  for (let d = 0; d < n; d += 1) {
    let sites = 0;
    for (let i = siteStart[d]!; i < siteStart[d + 1]!; i += 1) if (siteDenseList[i]! < MAX_VENDORS) sites |= 1 << siteDenseList[i]!;
    docPack[d] = Math.min(catId[d]!, CAT_MASK) | (Math.min(regionId[d]!, REGION_MASK) << REGION_SHIFT) | (sites << SITE_SHIFT);
  }
  const termAttr = new Int32Array(terms).fill(-1);
  for (let t = 0; t < terms; t += 1) {
    if (termKind[t] === CATEGORY) termAttr[t] = Math.min(catIds.get(termText[t]!)!, CAT_MASK);
    else if (termKind[t] === REGION) termAttr[t] = Math.min(regionIds.get(termText[t]!)!, REGION_MASK);
  }
  const idRankDoc = byId;
  const built: Built = {
    docs,
    docPack,
    termAttr,
    termKind: Uint8Array.from(termKind),
    termText,
    termNorm,
    termCho,
    termKeys,
    coreTerms,
    termOff,
    unitKeyStart: Int32Array.from(keyStart),
    unitWordStart: Uint8Array.from(wordStart),
    unitFrom: Int32Array.from(unitFrom),
    unitTo: Int32Array.from(unitTo),
    termDocStart,
    termDocs,
    termPopRank,
    termBestDoc,
    docTitleTerm,
    docTermStart,
    docTermList: Int32Array.from(docTermListArr),
    uni,
    bi,
    choUni,
    choBi,
    descWords,
    descStart,
    descDocs,
    startDay,
    endDay,
    hasTicket,
    catId,
    catValues: [...catIds.keys()],
    regionId,
    regionValues: [...regionIds.keys()],
    siteStart,
    siteDense: Int32Array.from(siteDenseList),
    siteValues: [...siteIds.keys()],
    popDense,
    idRank,
    idRankDoc,
    dateRank,
    sugKeys: Array.from(sugKeyOrder, (i) => sugKeyText[i]!),
    sugKeyTerm: pick(sugKeyOrder, sugTerm),
    sugKeyPos: pick(sugKeyOrder, sugPos),
    sugCho: Array.from(sugChoOrder, (i) => sugChoText[i]!),
    sugChoTerm: pick(sugChoOrder, sugTerm),
    sugChoPos: pick(sugChoOrder, sugPos),
  };
  return new Index(built);
}
