/**
 * Relevance of a search engine over a judged query set: MRR@10 and recall@10 per query class and
 * overall. Pure; the engine is any function from a query to ranked ids.
 */

/** The classes of docs/search.md "What people type", as the judged set names them. */
export const QUERY_CLASSES = [
  'exact',
  'prefix',
  'substring',
  'spacing',
  'choseong',
  'mid_typing',
  'layout',
  'typo',
  'artist',
  'cast',
  'venue',
  'latin_mixed',
] as const;
export type QueryClass = (typeof QUERY_CLASSES)[number];

export interface JudgedQuery {
  q: string;
  class: QueryClass;
  /** Ids of the runs a person means, the likeliest first. */
  expect: string[];
  note?: string;
}

export interface RelevanceScore {
  /** Queries. */
  n: number;
  /** Mean reciprocal rank of the first expected id within the top `cutoff` (0 when none is there). */
  mrr: number;
  /** Mean share of the expected ids found within the top `cutoff`. */
  recall: number;
}

export interface QueryOutcome {
  query: JudgedQuery;
  /** 1-based rank of the first expected id in the top `cutoff`, or null. */
  firstRank: number | null;
  recall: number;
  /** The top `cutoff` ids returned. */
  top: string[];
}

export interface RelevanceReport {
  cutoff: number;
  overall: RelevanceScore;
  byClass: Record<QueryClass, RelevanceScore>;
  outcomes: QueryOutcome[];
}

/** One query's reciprocal rank and recall against the first `cutoff` of `ranked`. */
export function judgeOne(query: JudgedQuery, ranked: readonly string[], cutoff = 10): QueryOutcome {
  const top = ranked.slice(0, cutoff);
  const expected = new Set(query.expect);
  const at = top.findIndex((id) => expected.has(id));
  const found = new Set(top.filter((id) => expected.has(id)));
  return {
    query,
    firstRank: at < 0 ? null : at + 1,
    recall: expected.size === 0 ? 0 : found.size / expected.size,
    top,
  };
}

function scoreOf(outcomes: readonly QueryOutcome[]): RelevanceScore {
  const n = outcomes.length;
  if (n === 0) return { n: 0, mrr: 0, recall: 0 };
  let rr = 0;
  let recall = 0;
  for (const o of outcomes) {
    rr += o.firstRank === null ? 0 : 1 / o.firstRank;
    recall += o.recall;
  }
  return { n, mrr: rr / n, recall: recall / n };
}

/** Every class is in `byClass` (n = 0 where the set has none). */
export function summarizeOutcomes(outcomes: readonly QueryOutcome[], cutoff = 10): RelevanceReport {
  const byClass = {} as Record<QueryClass, RelevanceScore>;
  for (const c of QUERY_CLASSES) byClass[c] = scoreOf(outcomes.filter((o) => o.query.class === c));
  return { cutoff, overall: scoreOf(outcomes), byClass, outcomes: [...outcomes] };
}

/** Runs every query through `rank` (which returns ids, best first) and scores the answers. */
export function evaluateRelevance(queries: readonly JudgedQuery[], rank: (q: string) => readonly string[], cutoff = 10): RelevanceReport {
  return summarizeOutcomes(
    queries.map((query) => judgeOne(query, rank(query.q), cutoff)),
    cutoff,
  );
}

/** Same, for an engine whose search is asynchronous (one query at a time, in order). */
export async function evaluateRelevanceAsync(
  queries: readonly JudgedQuery[],
  rank: (q: string) => Promise<readonly string[]>,
  cutoff = 10,
): Promise<RelevanceReport> {
  const outcomes: QueryOutcome[] = [];
  for (const query of queries) outcomes.push(judgeOne(query, await rank(query.q), cutoff));
  return summarizeOutcomes(outcomes, cutoff);
}

/** Checks a judged set against its catalogue; returns the problems found (empty = valid). */
export function judgedSetProblems(queries: readonly unknown[], ids: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const classes = new Set<string>(QUERY_CLASSES);
  queries.forEach((raw, i) => {
    if (raw === null || typeof raw !== 'object') {
      problems.push(`#${i}: not an object`);
      return;
    }
    const q = raw as Record<string, unknown>;
    if (typeof q.q !== 'string' || q.q.trim() === '') problems.push(`#${i}: q must be a non-empty string`);
    if (typeof q.class !== 'string' || !classes.has(q.class)) problems.push(`#${i}: unknown class ${String(q.class)}`);
    if (!Array.isArray(q.expect) || q.expect.length === 0) {
      problems.push(`#${i}: expect must be a non-empty array`);
      return;
    }
    const seen = new Set<unknown>();
    for (const id of q.expect as unknown[]) {
      if (typeof id !== 'string' || !ids.has(id)) problems.push(`#${i} (${String(q.q)}): expected id ${String(id)} is not in the catalogue`);
      if (seen.has(id)) problems.push(`#${i} (${String(q.q)}): expected id ${String(id)} twice`);
      seen.add(id);
    }
  });
  return problems;
}
