import { addDays } from '../../platform/kst.js';
import type { CoViewNeighbour } from './co-views.js';
import { BLEND_PARAMS, coViewWeight, type BlendParams } from './recommend-params.js';
import { buildVectors, dot } from './text-vectors.js';

/** What the engine knows of a run. */
export interface SimilarityDoc {
  id: string;
  region: string | null;
  start_date: string;
  /** Description, title, artist names and category, in any order. */
  text: string;
  /** False for a run that has ended: it is never recommended (it still counts for idf). Default true. */
  current?: boolean;
}

/** How candidates are ranked: text cosine alone, co-view score alone, or the blend of both. */
export type Scoring = 'text' | 'co-view' | 'blend';

/** Why a run was recommended: its text, its co-views, or both weighed in. */
export type Reason = 'text' | 'co-views' | 'both';

export interface SimilarRun {
  id: string;
  reason: Reason;
}

export interface EngineOptions {
  /** Similar runs kept per run. */
  limit?: number;
  /** Runs at least this similar are the same show elsewhere, never a recommendation. */
  nearDuplicate?: number;
  /** Candidates start between the run's start date and this many days later. */
  windowDays?: number;
  maxFeatures?: number;
  /** Each run's co-viewed runs (`coViewIndex`); candidates outside the run's window are ignored. */
  coViews?: ReadonlyMap<string, readonly CoViewNeighbour[]>;
  /** Default 'blend' (which is text alone for a run without co-views). */
  scoring?: Scoring;
  blend?: BlendParams;
  /** Only these runs get lists (the others still serve as candidates and for idf). */
  onlyFor?: ReadonlySet<string>;
  /** Called between batches of runs: yield to other work, report progress, or throw to stop. */
  pause?: (done: number, total: number) => Promise<void>;
}

export const DEFAULTS = { limit: 3, nearDuplicate: 0.98, windowDays: 90, maxFeatures: 256 } as const;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * For every run, up to `limit` runs in the same region starting within [start, start + windowDays],
 * not itself and below the near-duplicate threshold, most similar first; ties go to the earlier
 * start date, then the smaller id. A run without shared n-grams still gets the earliest candidates.
 *
 * Runs are sorted by region and start date, so each run's candidates are a contiguous slice; the
 * slice is scored through an inverted index whose posting lists are in the same order, so only
 * runs inside the window are ever touched. That pass uses each run's strongest n-grams (a lower
 * bound of the cosine); the best few are then scored exactly on the full vectors, and the exact
 * cosine decides the order and the near-duplicate cut.
 */
export async function similarRuns(docs: readonly SimilarityDoc[], options: EngineOptions = {}): Promise<Map<string, string[]>> {
  const lists = await rankSimilarRuns(docs, options);
  const out = new Map<string, string[]>();
  for (const [id, list] of lists)
    out.set(
      id,
      list.map((r) => r.id),
    );
  return out;
}

/**
 * `similarRuns` with the reason of each pick. With co-views, each candidate's score is
 * `(1 - w)·text + w·coView`, both divided by the run's best candidate, where w grows with the
 * common viewers of the run's best-backed co-viewed candidate (`coViewWeight`): thin evidence
 * leaves the order to text, strong evidence to co-views. The co-viewed runs of a run join its
 * text shortlist as candidates, under the same constraints (docs/recommendations.md).
 */
export async function rankSimilarRuns(docs: readonly SimilarityDoc[], options: EngineOptions = {}): Promise<Map<string, SimilarRun[]>> {
  const { limit, nearDuplicate, windowDays, maxFeatures } = { ...DEFAULTS, ...options };
  const scoring = options.scoring ?? 'blend';
  const coViews = scoring === 'text' ? undefined : options.coViews;
  const n = docs.length;
  const order = Array.from(docs.keys()).sort((x, y) => {
    const a = docs[x]!;
    const b = docs[y]!;
    return (
      compare(a.region ?? '', b.region ?? '') ||
      (a.region === null ? 0 : 1) - (b.region === null ? 0 : 1) ||
      compare(a.start_date, b.start_date) ||
      compare(a.id, b.id)
    );
  });
  const sorted = order.map((i) => docs[i]!);
  const groupOf = (d: SimilarityDoc) => (d.region === null ? '\u0000' : `r${d.region}`);
  const pause = (done: number) => options.pause?.(done, n) ?? Promise.resolve();
  const vectors = await buildVectors(
    sorted.map((d) => d.text),
    {
      maxFeatures,
      pause: () => pause(0),
    },
  );
  const { full } = vectors;
  const { offsets, terms, weights } = vectors.top;
  const shortlistSize = Math.max(12, limit * 4);

  // Inverted index, postings in sorted-run order.
  let vocab = 0;
  for (let k = 0; k < terms.length; k += 1) if (terms[k]! + 1 > vocab) vocab = terms[k]! + 1;
  const postStart = new Uint32Array(vocab + 1);
  for (let k = 0; k < terms.length; k += 1) postStart[terms[k]! + 1] = postStart[terms[k]! + 1]! + 1;
  for (let t = 0; t < vocab; t += 1) postStart[t + 1] = postStart[t + 1]! + postStart[t]!;
  const postDoc = new Uint32Array(terms.length);
  const postWeight = new Float32Array(terms.length);
  const fill = postStart.slice(0, vocab);
  for (let d = 0; d < n; d += 1) {
    for (let k = offsets[d]!; k < offsets[d + 1]!; k += 1) {
      const t = terms[k]!;
      const at = fill[t]!;
      postDoc[at] = d;
      postWeight[at] = weights[k]!;
      fill[t] = at + 1;
    }
  }
  // cursor[t]: first posting of t not before the current window's start (moves forward only).
  const cursor = postStart.slice(0, vocab);

  const score = new Float64Array(n);
  const touched = new Uint32Array(n);
  const result = new Map<string, SimilarRun[]>();
  const groups = sorted.map(groupOf);
  const current = sorted.map((d) => d.current !== false);
  const positionOf = new Map<string, number>();
  if (coViews) sorted.forEach((d, i) => positionOf.set(d.id, i));
  // per candidate of the current run: its blended score, its co-view weight (-1: none)
  const finalScore = new Float64Array(n);
  const weightOf = new Float64Array(n).fill(-1);
  const viewed: number[] = [];
  const lastDay = sorted.map((d) => addDays(d.start_date, windowDays));
  let lo = 0;
  let hi = 0;
  const best: number[] = [];
  const shortlist: number[] = [];
  const exactScore = new Float64Array(n);
  const rankScore = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    const g = groups[i]!;
    const start = sorted[i]!.start_date;
    if (lo < i && (groups[lo] !== g || sorted[lo]!.start_date !== start)) lo = i;
    if (hi <= i) hi = i + 1;
    while (hi < n && groups[hi] === g && sorted[hi]!.start_date <= lastDay[i]!) hi += 1;
    if (options.onlyFor && !options.onlyFor.has(sorted[i]!.id)) continue;

    let nTouched = 0;
    for (let k = offsets[i]!; k < offsets[i + 1]!; k += 1) {
      const t = terms[k]!;
      const w = weights[k]!;
      let p = cursor[t]!;
      const end = postStart[t + 1]!;
      while (p < end && postDoc[p]! < lo) p += 1;
      cursor[t] = p;
      for (; p < end; p += 1) {
        const d = postDoc[p]!;
        if (d >= hi) break;
        if (score[d] === 0) touched[nTouched++] = d;
        score[d] = score[d]! + w * postWeight[p]!;
      }
    }

    // Co-viewed runs inside this run's window are candidates too, with their exact text cosine.
    viewed.length = 0;
    const params = options.blend ?? BLEND_PARAMS;
    let evidence = 0;
    for (const nb of coViews?.get(sorted[i]!.id) ?? []) {
      const d = positionOf.get(nb.id);
      if (d === undefined || d === i || d < lo || d >= hi) continue;
      if (scoring === 'blend' && nb.common < params.minCommon) continue;
      // shrunk towards 0 when few viewers back it (significance weighting)
      finalScore[d] = scoring === 'co-view' ? nb.score : (nb.score * nb.common) / (nb.common + params.shrink);
      weightOf[d] = 0;
      if (nb.common > evidence) evidence = nb.common;
      viewed.push(d);
    }
    // the run's co-view weight: how much evidence its strongest co-viewed candidate has
    const w = scoring === 'co-view' ? 1 : coViewWeight(evidence, params);
    for (const d of viewed) weightOf[d] = w;
    let maxCoView = 0;
    for (const d of viewed) if (finalScore[d]! > maxCoView) maxCoView = finalScore[d]!;
    let maxText = 0;
    const perRunMax = params.scale === 'per-run-max';
    const parts = (d: number): [text: number, coView: number] => [
      perRunMax && maxText > 0 ? exactScore[d]! / maxText : exactScore[d]!,
      weightOf[d]! < 0 ? 0 : perRunMax && maxCoView > 0 && scoring !== 'co-view' ? finalScore[d]! / maxCoView : finalScore[d]!,
    ];
    const blended = (d: number): number => {
      const [text, coView] = parts(d);
      if (scoring === 'co-view') return coView;
      return w === 0 ? text : (1 - w) * text + w * coView;
    };
    /** The part that gave at least three quarters of the score names the reason; otherwise both. */
    const reasonOf = (d: number): Reason => {
      if (weightOf[d]! < 0) return 'text';
      const [text, coView] = parts(d);
      if (w * coView >= 3 * (1 - w) * text) return 'co-views';
      if ((1 - w) * text >= 3 * w * coView) return 'text';
      return 'both';
    };

    // The lower bounds pick a shortlist; exact cosines decide. Only when near-duplicates crowd
    // the shortlist out is every touched candidate scored exactly.
    shortlist.length = 0;
    let others = 0;
    for (let j = 0; j < nTouched; j += 1) {
      const d = touched[j]!;
      if (d === i || !current[d]) continue;
      others += 1;
      insertBest(shortlist, d, score, shortlistSize);
    }
    const exact = (candidates: Iterable<number>) => {
      best.length = 0;
      for (const d of candidates) {
        if (d === i || !current[d]) continue;
        exactScore[d] = dot(full, i, d);
        if (exactScore[d]! < nearDuplicate && exactScore[d]! > maxText) maxText = exactScore[d]!;
      }
      for (const d of candidates) {
        if (d === i || !current[d] || exactScore[d]! >= nearDuplicate) continue;
        rankScore[d] = blended(d);
        if (!best.includes(d)) insertBest(best, d, rankScore, limit);
      }
    };
    exact(viewed.length === 0 ? shortlist : [...shortlist, ...viewed.filter((d) => !shortlist.includes(d))]);
    if (best.length < limit && others > shortlist.length) exact([...touched.subarray(0, nTouched), ...viewed]);
    // Fill with the earliest runs that share nothing (score 0), in sorted (start date, id) order.
    for (let d = lo; best.length < limit && d < hi; d += 1) {
      if (d !== i && score[d] === 0 && current[d] && !best.includes(d)) best.push(d);
    }
    for (let j = 0; j < nTouched; j += 1) score[touched[j]!] = 0;
    result.set(
      sorted[i]!.id,
      best.map((d) => ({ id: sorted[d]!.id, reason: reasonOf(d) })),
    );
    for (const d of viewed) weightOf[d] = -1;
    if ((i & 63) === 63) await pause(i + 1);
  }
  return result;
}

/** Keeps `best` as the top `limit` by score desc, then sorted position asc (start date, id). */
function insertBest(best: number[], d: number, score: Float64Array, limit: number): void {
  const s = score[d]!;
  let at = best.length;
  while (at > 0) {
    const o = best[at - 1]!;
    const so = score[o]!;
    if (so > s || (so === s && o < d)) break;
    at -= 1;
  }
  if (at >= limit) return;
  best.splice(at, 0, d);
  if (best.length > limit) best.pop();
}
