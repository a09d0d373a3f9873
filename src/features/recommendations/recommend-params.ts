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
  /** Common viewers at which co-views and text weigh the same: weight = c / (c + halfEvidence). */
  halfEvidence: number;
}

export const CO_VIEW_PARAMS: CoViewParams = {
  // The candidate window of product §4 is 90 days after a run's start; a quarter of views also
  // covers a run's whole sales period, and older tastes have moved on.
  windowDays: 90,
  // 30 distinct runs is more than a quarter's browsing of almost every visitor (the simulated
  // population views 8–16), and caps one heavy viewer (or a crawler signed in) at 435 pairs.
  historyPerViewer: 30,
  // About 100 bytes of history each: at most ~200 MB even when every slot is used.
  maxViewers: 1_000_000,
  // An open-addressing table of 2^23 slots (key Float64 + count Uint32): 96 MB at most; a month of
  // 3 million views at 50k runs needs far fewer (measured in bench:recommend).
  maxPairs: 4_000_000,
  // The blend looks at the strongest co-viewed runs only; 20 covers 3 results after the
  // constraints (region, window, current, near-duplicates) removed some.
  neighboursPerRun: 20,
  // Chosen by the offline evaluation (bench:recommend): cosine ranked the hidden last view
  // best; lift rewards runs seen by one or two people, LLR rewards sheer volume.
  measure: 'cosine',
};

export const BLEND_PARAMS: BlendParams = {
  // Two people viewing the same two runs happens by chance in any busy week.
  minCommon: 2,
  // With 5 common viewers text and co-views weigh the same; at 20 co-views carry 80 %.
  // bench:recommend: 3–8 gave the best blend; 5 sits in the middle.
  halfEvidence: 5,
};

/** The weight of co-views against text for a pair with `common` viewers in common (0 = text decides). */
export function coViewWeight(common: number, params: BlendParams = BLEND_PARAMS): number {
  return common < params.minCommon ? 0 : common / (common + params.halfEvidence);
}
