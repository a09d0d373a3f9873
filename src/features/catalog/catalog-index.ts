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
    const building = new Map<string, number[]>();
    this.fields.forEach((fields, i) => {
      const grams = new Set<string>();
      for (const f of fields) {
        for (let j = 0; j < f.length; j += 1) {
          grams.add(f[j]!);
          if (j + 1 < f.length) grams.add(f.slice(j, j + 2));
        }
      }
      for (const g of grams) {
        let list = building.get(g);
        if (!list) building.set(g, (list = []));
        list.push(i);
      }
    });
    for (const [g, list] of building) this.postings.set(g, Int32Array.from(list));
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

/** Case folding for search: lower case, and compatibility forms unified (full-width Latin etc.). */
export function normalizeForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}
