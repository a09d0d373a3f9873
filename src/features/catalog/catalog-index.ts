import type { PerformanceSummary } from './performance.js';

/**
 * In-memory substring index over titles and artist names. Korean words are not separated by
 * reliable spaces, so it indexes characters (for one-character keywords) and character pairs
 * (for longer ones); every candidate is then checked with a literal `includes`, so the
 * keyword is never interpreted (no regex, no wildcard).
 */
export class KeywordIndex {
  private readonly fields: string[][];
  private readonly postings = new Map<string, Int32Array>();

  constructor(runs: readonly PerformanceSummary[]) {
    this.fields = runs.map((r) => [r.title, ...r.artistNames].map(normalizeForSearch));
    // Two passes (count, then fill one shared buffer) keep the build from allocating a growing
    // array per gram: at 50k runs that garbage outweighed the index itself.
    const counts = new Map<string, number>();
    this.fields.forEach((fields) => {
      for (const g of gramsOf(fields)) counts.set(g, (counts.get(g) ?? 0) + 1);
    });
    let total = 0;
    for (const n of counts.values()) total += n;
    const buffer = new Int32Array(total);
    const next = new Map<string, number>();
    let offset = 0;
    for (const [g, n] of counts) {
      this.postings.set(g, buffer.subarray(offset, offset + n));
      next.set(g, offset);
      offset += n;
    }
    this.fields.forEach((fields, i) => {
      for (const g of gramsOf(fields)) {
        const at = next.get(g)!;
        buffer[at] = i;
        next.set(g, at + 1);
      }
    });
  }

  /** Indexes (ascending) of runs whose title or an artist name contains the keyword. */
  match(keyword: string): number[] {
    const needle = normalizeForSearch(keyword);
    if (needle.length === 0) return this.fields.map((_, i) => i);
    let candidates: Int32Array | undefined;
    if (needle.length === 1) {
      candidates = this.postings.get(needle);
    } else {
      for (let j = 0; j + 1 < needle.length; j += 1) {
        const list = this.postings.get(needle.slice(j, j + 2));
        if (!list) return [];
        if (!candidates || list.length < candidates.length) candidates = list;
      }
    }
    if (!candidates) return [];
    const out: number[] = [];
    for (const i of candidates) {
      if (needle.length <= 2 || this.fields[i]!.some((f) => f.includes(needle))) out.push(i);
    }
    return out;
  }
}

/** The distinct characters and character pairs of a run's searchable fields. */
function gramsOf(fields: readonly string[]): Set<string> {
  const grams = new Set<string>();
  for (const f of fields) {
    for (let j = 0; j < f.length; j += 1) {
      grams.add(f[j]!);
      if (j + 1 < f.length) grams.add(f.slice(j, j + 2));
    }
  }
  return grams;
}

/** Case folding for search: lower case, and compatibility forms unified (full-width Latin etc.). */
export function normalizeForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}
