import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { create, insertMultiple, search as oramaSearch, type AnyOrama } from '@orama/orama';
import { Charset, Document as FlexDocument } from 'flexsearch';
import MiniSearch from 'minisearch';
import { KeywordIndex } from '../features/catalog/catalog-index.js';
import { parsePerformance, summarize, type Performance } from '../features/catalog/performance.js';
import { generateCatalogue } from '../features/ingest/seed.js';
import {
  evaluateRelevanceAsync,
  QUERY_CLASSES,
  type JudgedQuery,
  type QueryClass,
  type RelevanceReport,
  type RelevanceScore,
} from '../features/search/relevance.js';
import { searchDocOf } from '../features/search/search-doc.js';
import { buildSearchIndex } from '../features/search/search-index.js';
import type { SearchContext, SearchParams } from '../features/search/search-types.js';

/**
 * `npm run bench:search` (and part of `npm run bench`): our Korean search index side by side with
 * MiniSearch 7, FlexSearch 0.8 and Orama 3, each configured as well as its documentation allows
 * for Korean, and with the legacy `/search` (literal substring on title or artist, start-date order).
 *
 * Relevance: the judged set (src/features/search/judged: ~300 real-titled runs, 200+ queries in
 * 12 classes), MRR@10 and recall@10 per class. Cost: a 50,000-run catalogue (the seed generator
 * plus the judged catalogue): index build time, heap growth after the build (after a forced GC),
 * and in-process p50/p99 latency over the judged queries rotated (ours: a page of 20 with facets).
 *
 * How each engine is configured (also printed under the table):
 * - MiniSearch: fields title, artists, cast, venue, description; `tokenize` = words (split on
 *   anything that is not a letter or digit, NFKC + lower case) plus the character bigrams of every
 *   Hangul word longer than two syllables (so substrings and spacing can match: MiniSearch splits
 *   on spaces and punctuation only, and has no CJK tokenizer); `processTerm` keeps terms as
 *   tokenized; `searchOptions: { prefix: true, fuzzy: 0.2, boost: { title: 3, artists: 2, cast: 2,
 *   venue: 1.5, description: 0.3 }, combineWith: 'OR' }` (its documented typo and prefix options).
 * - FlexSearch: a `Document` index. Title, artists, cast and venue with `tokenize: 'full'` (every
 *   substring of a term is indexed: the README's partial-match setting) and the default encoder
 *   (which splits Hangul on spaces and punctuation only); a second copy of the title with the
 *   README's CJK preset (`encoder: Charset.CJK`, one term per character, `tokenize: 'strict'`,
 *   `context: true`), which catches spacing, half-typed syllables and typos; the description with
 *   `tokenize: 'forward'`. FlexSearch has no per-field boost, so the per-field result lists are
 *   merged in field order (title, artists, cast, venue, title by character, description);
 *   `suggest: true` keeps partial matches. Measured on the judged set: 'full' alone 0.71 overall
 *   MRR@10, Charset.CJK alone 0.70, both (this setup) 0.86.
 * - Orama: fields title, artists (string[]), cast (string[]), venue, description; a custom
 *   `components.tokenizer` (Orama has no Korean language or stemmer: the same word + bigram
 *   tokenizer as MiniSearch); search with `tolerance: 1` (Levenshtein per term), `boost` as for
 *   MiniSearch; prefix matching is Orama's default for non-`exact` searches.
 * - Legacy: `KeywordIndex` (catalog-index.ts) over the catalogue in start-date order, as
 *   `/search?keyword=` answers (a literal, case-insensitive substring of title or artist).
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const judgedDir = path.join(root, 'src/features/search/judged');

/** The day the judged set is answered for (as the judged test does). */
export const JUDGED_CONTEXT: SearchContext = { today: '2026.12.03', saturday: '2026.12.05', sunday: '2026.12.06', monthEnd: '2026.12.31' };

export function searchParams(q: string, size: number): SearchParams {
  return { q, categories: [], regions: [], vendors: [], onSale: false, sort: 'relevance', page: 1, size };
}

/** The judged catalogue, validated as the import validates it. */
export function loadJudgedCatalogue(dir = judgedDir): Performance[] {
  const raw = JSON.parse(readFileSync(path.join(dir, 'catalogue.json'), 'utf8')) as unknown[];
  return raw.map((record, i) => {
    const parsed = parsePerformance(record);
    if (!parsed.ok) throw new Error(`catalogue.json #${i}: ${parsed.reason}`);
    return parsed.value;
  });
}

export function loadJudgedQueries(dir = judgedDir): JudgedQuery[] {
  return JSON.parse(readFileSync(path.join(dir, 'queries.json'), 'utf8')) as JudgedQuery[];
}

/** A built engine: ranked ids for a query. */
type Ranker = (q: string, size: number) => Promise<readonly string[]> | readonly string[];

interface Engine {
  name: string;
  notes: string;
  build(runs: readonly Performance[]): Promise<Ranker>;
}

const WORD = /[\p{L}\p{N}]+/gu;
const HANGUL = /\p{Script=Hangul}/u;

/** Words, plus the character bigrams of Hangul words longer than two syllables. */
export function wordsAndBigrams(text: string): string[] {
  const out: string[] = [];
  for (const w of text.normalize('NFKC').toLowerCase().match(WORD) ?? []) {
    out.push(w);
    if (w.length > 2 && HANGUL.test(w)) {
      for (let i = 0; i + 2 <= w.length; i += 1) out.push(w.slice(i, i + 2));
    }
  }
  return out;
}

interface FlatRun {
  id: string;
  title: string;
  artists: string;
  cast: string;
  venue: string;
  description: string;
}

function flat(p: Performance): FlatRun {
  const d = searchDocOf(p);
  return {
    id: d.id,
    title: d.title,
    artists: d.artists.join(' '),
    cast: d.cast.join(' '),
    venue: d.location ?? '',
    description: d.description ?? '',
  };
}

const BOOST = { title: 3, artists: 2, cast: 2, venue: 1.5, description: 0.3 };

const ours: Engine = {
  name: 'ours',
  notes: 'buildSearchIndex (src/features/search/search-index.ts); relevance with size 10, latency with a page of 20 and facets',
  async build(runs) {
    const index = await buildSearchIndex(runs.map((p) => searchDocOf(p)));
    return (q, size) => index.search(searchParams(q, size), JUDGED_CONTEXT).hits.map((h) => h.id);
  },
};

const legacy: Engine = {
  name: 'legacy /search',
  notes: 'KeywordIndex: literal case-insensitive substring of title or artist names, in start-date order',
  build(runs) {
    const ordered = [...runs].sort((a, b) => a.start_date.localeCompare(b.start_date) || a._id.localeCompare(b._id));
    const index = new KeywordIndex(ordered.map(summarize));
    return Promise.resolve((q: string, size: number) =>
      index
        .match(q)
        .slice(0, size)
        .map((i) => ordered[i]!._id),
    );
  },
};

const miniSearch: Engine = {
  name: 'MiniSearch',
  notes:
    'tokenize: words + Hangul character bigrams (NFKC, lower case); searchOptions prefix: true, fuzzy: 0.2, ' +
    'boost title 3, artists 2, cast 2, venue 1.5, description 0.3, combineWith OR',
  build(runs) {
    const ms = new MiniSearch<FlatRun>({
      idField: 'id',
      fields: ['title', 'artists', 'cast', 'venue', 'description'],
      storeFields: [],
      tokenize: wordsAndBigrams,
      processTerm: (term) => term,
      searchOptions: { prefix: true, fuzzy: 0.2, boost: BOOST, combineWith: 'OR' },
    });
    ms.addAll(runs.map(flat));
    return Promise.resolve((q: string, size: number) =>
      ms
        .search(q)
        .slice(0, size)
        .map((r) => String(r.id)),
    );
  },
};

/** FlexSearch field indexes, in the order their result lists are merged (it has no per-field boost). */
const FLEX_FIELDS = ['title', 'artists', 'cast', 'venue', 'titleChars', 'description'] as const;

const flexEngine: Engine = {
  name: 'FlexSearch',
  notes:
    "Document; title, artists, cast, venue: tokenize 'full' (every substring of a term), default encoder; a second copy of the title " +
    "with encoder Charset.CJK (a term per character), tokenize 'strict', context on (catches spacing and typos); description 'forward'; " +
    'per-field lists merged in the order title, artists, cast, venue, title by character, description (no per-field boost); suggest: true',
  build(runs) {
    const index = new FlexDocument({
      document: {
        id: 'id',
        index: FLEX_FIELDS.map((field) =>
          field === 'titleChars'
            ? { field, tokenize: 'strict' as const, encoder: Charset.CJK, context: true }
            : { field, tokenize: field === 'description' ? ('forward' as const) : ('full' as const), encoder: Charset.Default },
        ),
      },
    });
    for (const r of runs) {
      const doc = flat(r);
      index.add({ ...doc, titleChars: doc.title });
    }
    return Promise.resolve((q: string, size: number) => {
      const perField = index.search(q, { limit: size, suggest: true }) as unknown as { field: string; result: (string | number)[] }[];
      const out: string[] = [];
      const seen = new Set<string>();
      for (const field of FLEX_FIELDS) {
        for (const id of perField.find((f) => f.field === field)?.result ?? []) {
          const s = String(id);
          if (!seen.has(s)) {
            seen.add(s);
            out.push(s);
          }
        }
      }
      return out.slice(0, size);
    });
  },
};

const orama: Engine = {
  name: 'Orama',
  notes:
    'custom components.tokenizer (words + Hangul bigrams; Orama has no Korean language), ' +
    'tolerance: 1, boost title 3, artists 2, cast 2, venue 1.5, description 0.3, prefix matching (default)',
  async build(runs) {
    const db: AnyOrama = create({
      schema: { title: 'string', artists: 'string[]', cast: 'string[]', venue: 'string', description: 'string' } as const,
      components: {
        tokenizer: { language: 'korean', normalizationCache: new Map<string, string>(), tokenize: (raw: string) => wordsAndBigrams(raw) },
      },
    });
    await insertMultiple(
      db,
      runs.map((p) => {
        const d = searchDocOf(p);
        return { id: d.id, title: d.title, artists: d.artists, cast: d.cast, venue: d.location ?? '', description: d.description ?? '' };
      }),
      1000,
    );
    return async (q: string, size: number) => {
      const res = await oramaSearch(db, {
        term: q,
        properties: ['title', 'artists', 'cast', 'venue', 'description'],
        boost: BOOST,
        tolerance: 1,
        limit: size,
      });
      return res.hits.map((h) => String(h.id));
    };
  },
};

export const ENGINES: readonly Engine[] = [ours, miniSearch, flexEngine, orama, legacy];

export interface EngineRow {
  engine: string;
  notes: string;
  relevance: RelevanceReport;
  /** At 50k runs. */
  buildMs: number;
  /** Heap growth after the build, MB (after a forced GC). */
  heapMb: number;
  /** Queries timed. */
  timed: number;
  p50Ms: number;
  p99Ms: number;
}

export interface CompareOptions {
  /** Runs in the cost catalogue (default 50,000, the judged catalogue included). */
  runs?: number;
  /** Timed queries per engine (default 2,000: the judged queries rotated)… */
  samples?: number;
  /** …or fewer when they take longer than this (default 20 s; at least 100). */
  budgetMs?: number;
  engines?: readonly Engine[];
  log?: (line: string) => void;
}

/** `global.gc`, or one made available through V8 flags at run time (undefined when neither works). */
function gcFunction(): { gc: (() => void) | undefined; how: string } {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return { gc: existing, how: 'global.gc (--expose-gc)' };
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return { gc: gc as () => void, how: 'gc exposed at run time (v8.setFlagsFromString)' };
  } catch {
    // fall through
  }
  return { gc: undefined, how: 'no gc available: heap deltas include garbage' };
}

/** Lets pending timers and promises of the previous engine finish, then collects twice. */
async function settle(gc: (() => void) | undefined): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  gc?.();
  gc?.();
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * Build time, heap growth and latency of one engine on `big`. A function of its own, so that no
 * index of the engine measured before is still held (by a variable of the caller) while this one
 * is measured.
 */
async function costOf(
  engine: Engine,
  big: readonly Performance[],
  queries: readonly JudgedQuery[],
  samples: number,
  budgetMs: number,
  gc: (() => void) | undefined,
): Promise<Pick<EngineRow, 'buildMs' | 'heapMb' | 'timed' | 'p50Ms' | 'p99Ms'>> {
  await settle(gc);
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const rank = await engine.build(big);
  const buildMs = performance.now() - t0;
  await settle(gc);
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < samples && (i < 100 || performance.now() - started < budgetMs); i += 1) {
    const q = queries[i % queries.length]!.q;
    const s = performance.now();
    await rank(q, 20);
    times.push(performance.now() - s);
  }
  times.sort((x, y) => x - y);
  return { buildMs, heapMb, timed: times.length, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) };
}

export async function compareSearchEngines(options: CompareOptions = {}): Promise<{ table: string; rows: EngineRow[] }> {
  const log = options.log ?? (() => {});
  const engines = options.engines ?? ENGINES;
  const judged = loadJudgedCatalogue();
  const queries = loadJudgedQueries();
  const { gc, how } = gcFunction();

  const total = options.runs ?? 50_000;
  const big = [...generateCatalogue({ count: Math.max(0, total - judged.length), seed: 42, today: JUDGED_CONTEXT.today }), ...judged];
  const samples = options.samples ?? 2_000;
  const budgetMs = options.budgetMs ?? 20_000;

  const rows: EngineRow[] = [];
  for (const engine of engines) {
    log(`${engine.name}: relevance on ${judged.length} runs, ${queries.length} queries…`);
    const small = await engine.build(judged);
    const relevance = await evaluateRelevanceAsync(queries, async (q) => small(q, 10));

    log(`${engine.name}: build on ${big.length} runs…`);
    const cost = await costOf(engine, big, queries, samples, budgetMs, gc);
    rows.push({ engine: engine.name, notes: engine.notes, relevance, ...cost });
  }
  return { table: formatTable(rows, { runs: big.length, samples, gc: how }), rows };
}

const f2 = (n: number) => n.toFixed(2);

function formatTable(rows: readonly EngineRow[], meta: { runs: number; samples: number; gc: string }): string {
  const lines: string[] = [];
  const head = ['class', 'n', ...rows.map((r) => `${r.engine} MRR / R@10`)];
  lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
  const cell = (s: RelevanceScore) => `${f2(s.mrr)} / ${f2(s.recall)}`;
  for (const c of QUERY_CLASSES) {
    const n = rows[0]?.relevance.byClass[c].n ?? 0;
    lines.push(`| ${c} | ${n} | ${rows.map((r) => cell(r.relevance.byClass[c])).join(' | ')} |`);
  }
  lines.push(`| **overall** | ${rows[0]?.relevance.overall.n ?? 0} | ${rows.map((r) => `**${cell(r.relevance.overall)}**`).join(' | ')} |`);
  lines.push('');
  lines.push(
    `At ${meta.runs.toLocaleString('en-US')} runs (up to ${meta.samples} timed queries each, the judged queries rotated, page of 20; heap: ${meta.gc}):`,
  );
  lines.push('');
  lines.push('| engine | build (ms) | heap (MB) | queries timed | p50 (ms) | p99 (ms) |', '|---|---|---|---|---|---|');
  for (const r of rows) {
    lines.push(`| ${r.engine} | ${r.buildMs.toFixed(0)} | ${r.heapMb.toFixed(1)} | ${r.timed} | ${r.p50Ms.toFixed(3)} | ${r.p99Ms.toFixed(3)} |`);
  }
  lines.push('');
  lines.push('How each engine was configured:');
  for (const r of rows) lines.push(`- ${r.engine}: ${r.notes}`);
  return lines.join('\n');
}

/** Per class, the classes where `engine` is behind another engine on MRR@10 or recall@10. */
export function behind(
  rows: readonly EngineRow[],
  engine = 'ours',
): { class: QueryClass; metric: 'mrr' | 'recall'; by: string; ours: number; theirs: number }[] {
  const mine = rows.find((r) => r.engine === engine);
  if (!mine) return [];
  const out: { class: QueryClass; metric: 'mrr' | 'recall'; by: string; ours: number; theirs: number }[] = [];
  for (const c of QUERY_CLASSES) {
    for (const other of rows) {
      if (other === mine) continue;
      for (const metric of ['mrr', 'recall'] as const) {
        const a = mine.relevance.byClass[c][metric];
        const b = other.relevance.byClass[c][metric];
        if (b > a + 1e-9) out.push({ class: c, metric, by: other.engine, ours: a, theirs: b });
      }
    }
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 50_000);
  compareSearchEngines({ runs, log: (line) => process.stderr.write(`${line}\n`) })
    .then(({ table, rows }) => {
      process.stdout.write(`${table}\n`);
      const gaps = behind(rows);
      if (gaps.length > 0) {
        process.stdout.write('\nWhere ours is behind:\n');
        for (const g of gaps) process.stdout.write(`- ${g.class} ${g.metric}: ours ${f2(g.ours)} < ${g.by} ${f2(g.theirs)}\n`);
      }
    })
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    });
}
