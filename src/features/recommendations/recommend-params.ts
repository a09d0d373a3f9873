/**
 * Every parameter of the co-view recommendations, in one place, with the reason for its value.
 * `npm run bench:recommend` measures the choices (docs/recommendations.md, ADR 19).
 */

/** How a pair of runs' common viewers is turned into a co-view score. */
export type CoViewMeasure = 'cosine' | 'jaccard' | 'lift' | 'llr';

export interface CoViewParams {
  /** Days of `View_detail_log` read before the build's clock. */
  windowDays: number;
  /** Distinct runs kept per viewer (the latest): bounds pairs per viewer to n(n-1)/2 and memory to viewers × n. */
  historyPerViewer: number;
  /** Viewers tracked at most; later ones are left out (bounded memory whatever the log holds). */
  maxViewers: number;
  /** Distinct run pairs counted at most; above it the rarest pairs are pruned (lossy counting). */
  maxPairs: number;
  /** Co-viewed runs kept per run, strongest first. */
  neighboursPerRun: number;
  measure: CoViewMeasure;
}

export interface BlendParams {
  /** Common viewers below this count give no co-view weight at all: one shared viewer is chance. */
  minCommon: number;
  /** Common viewers (of the run's best co-viewed candidate) at which co-views and text weigh the same. */
  halfEvidence: number;
  /** A pair's co-view score is multiplied by c / (c + shrink): few common viewers, little trust. */
  shrink: number;
  /** Each score divided by its best among the run's candidates before blending, or taken as it is. */
  scale: 'raw' | 'per-run-max';
}

export const CO_VIEW_PARAMS: CoViewParams = {
  // The candidate window of product §4 is 90 days after a run's start; a quarter of views also
  // covers a run's whole sales period, and older tastes have moved on.
  windowDays: 90,
  // 30 distinct runs is more than a quarter's browsing of almost every visitor (the simulated
  // viewers view 6–14), and caps one heavy viewer (or a crawler signed in) at 435 pairs.
  historyPerViewer: 30,
  // A history holds at most 38 (run, time) entries, about 700 bytes with its key: at most ~350 MB
  // when every slot is full, 3× the signed-in viewers of bench:recommend's month (150,000).
  maxViewers: 500_000,
  // An open-addressing table that grows up to 2^23 slots (key Float64 + count Uint32): 96 MB at
  // most; bench:recommend's month (3 million views, 50k runs) fills a fraction of it.
  maxPairs: 4_000_000,
  // The blend looks at the strongest co-viewed runs only; 20 covers 3 results after the
  // constraints (region, window, current, near-duplicates) removed some.
  neighboursPerRun: 20,
  // Chosen by the offline evaluation (bench:recommend): the cosine blend beats text and co-views
  // alone; the LLR blend ranks the hidden view about as well (within one standard error) but puts
  // a blockbuster first more often, as LLR rewards sheer volume; lift overrates runs seen by one
  // or two people; Jaccard is a weaker cosine.
  measure: 'cosine',
};

export const BLEND_PARAMS: BlendParams = {
  // Two people viewing the same two runs happens by chance in any busy week: below 2 common
  // viewers a pair is no evidence, and a run whose best pair has fewer keeps its text list.
  minCommon: 2,
  // A run's co-view weight is E / (E + 2), E the common viewers of its best co-viewed candidate:
  // 2 → half, 6 → 75 %, 18 → 90 %. bench:recommend: 1–3 best in both populations, 8+ worse.
  halfEvidence: 2,
  // A pair's cosine × c / (c + 2): a pair of two rarely viewed runs with 2 common viewers has a
  // high cosine on little evidence. bench:recommend: 1–5 within noise of each other; 0 worse.
  shrink: 2,
  // Text cosines and co-view cosines live on different scales (a strong co-view pair may have a
  // cosine of 0.2, an ordinary text match 0.4); dividing each by the run's best candidate puts the
  // two on one scale. bench:recommend: raw scores lose 2–3 points of hit-rate.
  scale: 'per-run-max',
};

/** The weight of co-views against text for a run whose best co-viewed candidate has `common` viewers in common (0 = text decides). */
export function coViewWeight(common: number, params: BlendParams = BLEND_PARAMS): number {
  return common < params.minCommon ? 0 : common / (common + params.halfEvidence);
}
