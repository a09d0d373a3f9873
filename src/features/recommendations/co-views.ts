import { CO_VIEW_PARAMS, type CoViewMeasure, type CoViewParams } from './recommend-params.js';
import type { ViewRecord } from './view-history.js';

/** What co-view counting knows of a run: pairs that could never be recommended are not counted. */
export interface CoViewRun {
  id: string;
  region: string | null;
  start_date: string;
}

export interface CoViewNeighbour {
  id: string;
  /** Viewers who viewed both runs. */
  common: number;
  /** The measure's score in [0, 1]. */
  score: number;
}

export interface CoViewIndex {
  /** Each viewed run's strongest co-viewed runs, strongest first. */
  neighbours: Map<string, CoViewNeighbour[]>;
  viewers: number;
  /** Views of runs in the catalogue by signed-in viewers, in the window. */
  views: number;
  pairs: number;
  /** Pairs seen at most this many times were dropped to stay within `maxPairs` (0: none). */
  prunedBelow: number;
}

const DAY_MS = 86_400_000;
/** Views a history takes beyond `historyPerViewer` before it is compacted again. */
const SLACK = 8;
const dayNumber = (date: string) => Math.floor(Date.parse(`${date.slice(0, 4)}-${date.slice(5, 7)}-${date.slice(8, 10)}T00:00:00Z`) / DAY_MS);

/**
 * Item-to-item co-view scores from viewers' histories. Each viewer keeps their latest
 * `historyPerViewer` distinct runs; every pair of them that could be a recommendation (same
 * region, starts at most `windowDays` apart) counts one common viewer. Memory is bounded by
 * `maxViewers` histories and `maxPairs` counted pairs.
 */
export async function coViewIndex(
  runs: readonly CoViewRun[],
  batches: AsyncIterable<readonly ViewRecord[]>,
  options: { params?: Partial<CoViewParams>; pause?: () => Promise<void> } = {},
): Promise<CoViewIndex> {
  const params = { ...CO_VIEW_PARAMS, ...options.params };
  const n = runs.length;
  const indexOf = new Map<string, number>();
  const regionOf = new Int32Array(n);
  const dayOf = new Int32Array(n);
  const regions = new Map<string | null, number>();
  runs.forEach((run, i) => {
    indexOf.set(run.id, i);
    let r = regions.get(run.region);
    if (r === undefined) regions.set(run.region, (r = regions.size));
    regionOf[i] = r;
    dayOf[i] = dayNumber(run.start_date);
  });

  const histories = new Map<string, ViewerHistory>();
  let views = 0;
  const keep = params.historyPerViewer;
  for await (const batch of batches) {
    for (const view of batch) {
      const run = indexOf.get(view.runId);
      if (run === undefined) continue;
      let h = histories.get(view.viewer);
      if (h === undefined) {
        if (histories.size >= params.maxViewers) continue;
        h = { runs: [], at: [] };
        histories.set(view.viewer, h);
      }
      views += 1;
      h.runs.push(run);
      h.at.push(view.at);
      if (h.runs.length >= keep + SLACK) compact(h, keep);
    }
    await options.pause?.();
  }

  const viewersOf = new Uint32Array(n);
  const pairs = new PairCounts(params.maxPairs);
  let viewers = 0;
  let done = 0;
  for (const h of histories.values()) {
    compact(h, keep);
    const seen = h.runs;
    if (seen.length > 0) viewers += 1;
    for (let x = 0; x < seen.length; x += 1) {
      const a = seen[x]!;
      viewersOf[a] = viewersOf[a]! + 1;
      for (let y = x + 1; y < seen.length; y += 1) {
        const b = seen[y]!;
        if (regionOf[a] !== regionOf[b] || Math.abs(dayOf[a]! - dayOf[b]!) > params.windowDays) continue;
        pairs.add(a < b ? a * n + b : b * n + a);
      }
    }
    done += 1;
    if ((done & 4095) === 0) await options.pause?.();
  }
  histories.clear();

  const top: CoViewNeighbour[][] = Array.from({ length: n }, () => []);
  const score = scorer(params.measure, viewers);
  pairs.forEach((key, common) => {
    const a = Math.floor(key / n);
    const b = key - a * n;
    const s = score(common, viewersOf[a]!, viewersOf[b]!);
    if (s <= 0) return;
    insertTop(top[a]!, { id: runs[b]!.id, common, score: s }, params.neighboursPerRun);
    insertTop(top[b]!, { id: runs[a]!.id, common, score: s }, params.neighboursPerRun);
  });
  const neighbours = new Map<string, CoViewNeighbour[]>();
  top.forEach((list, i) => {
    if (list.length > 0) neighbours.set(runs[i]!.id, list);
  });
  return { neighbours, viewers, views, pairs: pairs.size, prunedBelow: pairs.prunedBelow };
}

interface ViewerHistory {
  runs: number[];
  at: number[];
}

/** Keeps the latest `keep` distinct runs of a history, oldest first. */
function compact(h: ViewerHistory, keep: number): void {
  const order = Array.from(h.runs.keys()).sort((x, y) => h.at[y]! - h.at[x]! || y - x);
  const seen = new Set<number>();
  const runs: number[] = [];
  const at: number[] = [];
  for (const k of order) {
    if (seen.has(h.runs[k]!)) continue;
    seen.add(h.runs[k]!);
    runs.push(h.runs[k]!);
    at.push(h.at[k]!);
    if (runs.length >= keep) break;
  }
  h.runs = runs.reverse();
  h.at = at.reverse();
}

/** Strongest first; ties to the smaller id, so builds are repeatable. */
function insertTop(list: CoViewNeighbour[], item: CoViewNeighbour, limit: number): void {
  let at = list.length;
  while (at > 0) {
    const o = list[at - 1]!;
    if (o.score > item.score || (o.score === item.score && o.id < item.id)) break;
    at -= 1;
  }
  if (at >= limit) return;
  list.splice(at, 0, item);
  if (list.length > limit) list.pop();
}

/**
 * The co-view score of a pair with `c` common viewers, viewed by `a` and `b` viewers, among
 * `total`. Every measure maps into [0, 1], so the blend can weigh it against a text cosine.
 */
export function scorer(measure: CoViewMeasure, total: number): (c: number, a: number, b: number) => number {
  switch (measure) {
    case 'cosine':
      return (c, a, b) => c / Math.sqrt(a * b);
    case 'jaccard':
      return (c, a, b) => c / (a + b - c);
    case 'lift':
      // lift = c·N / (a·b): 1 is independence; 1 - 1/lift maps (1, ∞) onto (0, 1)
      return (c, a, b) => Math.max(0, 1 - (a * b) / (c * total));
    case 'llr':
      return (c, a, b) => {
        const g = llr(c, a - c, b - c, total - a - b + c);
        // only positive association; LLR 10 (p ≈ 0.002) counts half
        return c * total > a * b ? g / (g + 10) : 0;
      };
  }
}

const xlogx = (x: number) => (x <= 0 ? 0 : x * Math.log(x));
const entropy = (...k: number[]) => xlogx(k.reduce((s, x) => s + x, 0)) - k.reduce((s, x) => s + xlogx(x), 0);

/** Dunning's log-likelihood ratio (G²) of a 2×2 table, as Mahout computes it. */
export function llr(k11: number, k12: number, k21: number, k22: number): number {
  const row = entropy(k11 + k12, k21 + k22);
  const col = entropy(k11 + k21, k12 + k22);
  const mat = entropy(k11, k12, k21, k22);
  return Math.max(0, 2 * (row + col - mat));
}

/**
 * Counts of run pairs in an open-addressing table that grows up to 2·`max` slots. When it holds more than `max`
 * pairs, the pairs seen least are dropped (raising the floor until half the room is free): the
 * rarest pairs are the thinnest evidence, which the blend would leave to text anyway.
 */
class PairCounts {
  private keys = new Float64Array(1024).fill(-1);
  private counts = new Uint32Array(1024);
  private mask = 1023;
  /** The table never grows beyond this many slots (twice `max`, a power of two). */
  private readonly maxSlots: number;
  size = 0;
  prunedBelow = 0;

  constructor(private readonly max: number) {
    let cap = 1024;
    while (cap < max * 2) cap *= 2;
    this.maxSlots = cap;
  }

  add(key: number): void {
    let at = hash(key) & this.mask;
    for (;;) {
      const k = this.keys[at]!;
      if (k === key) {
        this.counts[at] = this.counts[at]! + 1;
        return;
      }
      if (k === -1) break;
      at = (at + 1) & this.mask;
    }
    this.keys[at] = key;
    this.counts[at] = 1;
    this.size += 1;
    if (this.size > this.max) this.prune();
    else if (this.size * 2 > this.keys.length && this.keys.length < this.maxSlots) this.rehash(this.keys.length * 2, 0);
  }

  forEach(visit: (key: number, count: number) => void): void {
    for (let at = 0; at < this.keys.length; at += 1) if (this.keys[at] !== -1) visit(this.keys[at]!, this.counts[at]!);
  }

  private prune(): void {
    while (this.size > this.max / 2) {
      this.prunedBelow += 1;
      this.rehash(this.keys.length, this.prunedBelow);
    }
  }

  /** Moves the pairs seen more than `floor` times into a table of `slots` slots. */
  private rehash(slots: number, floor: number): void {
    const keys = this.keys;
    const counts = this.counts;
    this.keys = new Float64Array(slots).fill(-1);
    this.counts = new Uint32Array(slots);
    this.mask = slots - 1;
    this.size = 0;
    for (let at = 0; at < keys.length; at += 1) {
      if (keys[at] === -1 || counts[at]! <= floor) continue;
      let to = hash(keys[at]!) & this.mask;
      while (this.keys[to] !== -1) to = (to + 1) & this.mask;
      this.keys[to] = keys[at]!;
      this.counts[to] = counts[at]!;
      this.size += 1;
    }
  }
}

function hash(key: number): number {
  const lo = key >>> 0;
  const hi = Math.floor(key / 4294967296);
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
