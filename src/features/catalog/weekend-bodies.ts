import { JsonBody } from '../../platform/json-body.js';
import { weekendOf } from '../../platform/kst.js';
import { BodyCache } from './body-cache.js';
import { EMPTY_LIST, inSlices, jsonArray, type ListItems, upToInSlices } from './list-items.js';
import type { PerformanceSummary } from './performance.js';
import { onWeekend } from './rules.js';

/** Where one category's items lie in the whole body: item k ends at `ends[k]`. */
interface GroupSpan {
  start: number;
  ends: number[];
}

/** Bytes of bodies kept for sizes other than the default (the size is client input). */
const OTHER_SIZES_BYTES = 16 * 1024 * 1024;

/**
 * This weekend's list in every size, cut from one body. The body holds each category's runs in
 * list order, up to the largest size; the answer for `per_category=N` is the first N items of
 * each category copied out of it (the default size is kept, other sizes in a small cache of
 * bodies bounded in bytes, so that their compressed forms are made once too). Sizes beyond the
 * longest category are all the whole body.
 */
export class WeekendBodies {
  private readonly whole: JsonBody;
  private readonly longest: number;
  private readonly others: BodyCache<number, { body: JsonBody }>;
  private usual: JsonBody | undefined;

  private constructor(
    whole: Buffer,
    private readonly spans: GroupSpan[],
    private readonly usualSize: number,
  ) {
    this.whole = new JsonBody(whole);
    this.longest = Math.max(0, ...spans.map((s) => s.ends.length));
    this.others = new BodyCache({ maxBytes: OTHER_SIZES_BYTES, maxEntries: 1000, keyBytes: () => 8 });
  }

  /**
   * Serialises the groups' items (runs as indexes into `items`, each group in list order, at most
   * `maxSize` of each) into the whole body, in slices of loop time.
   */
  static async build(items: ListItems, groups: readonly number[][], maxSize: number, usualSize: number): Promise<WeekendBodies> {
    const cut = groups.map((g) => g.slice(0, maxSize)).filter((g) => g.length > 0);
    const all = cut.flat();
    const whole = await items.listInSlices(all);
    // the spans follow from the item lengths: '[' then items and commas in order
    const spans: GroupSpan[] = [];
    let at = 1;
    let k = 0;
    for (const g of cut) {
      const span: GroupSpan = { start: at + (k > 0 ? 1 : 0), ends: [] };
      await inSlices(g, (i) => {
        at += (k > 0 ? 1 : 0) + items.item(i).length;
        k += 1;
        span.ends.push(at);
      });
      spans.push(span);
    }
    return new WeekendBodies(whole, spans, usualSize);
  }

  /** The list with up to `perCategory` runs of each category. */
  body(perCategory: number): JsonBody {
    const size = Math.min(perCategory, this.longest);
    if (size === this.longest) return this.whole;
    if (size === this.usualSize) return (this.usual ??= new JsonBody(this.cut(size)));
    return (this.others.get(size) ?? this.others.add(size, this.cut(size), (body) => ({ body }))).body;
  }

  /** Bodies kept for sizes other than the default and the whole list. */
  stats(): { entries: number; bytes: number } {
    return this.others.stats();
  }

  private cut(size: number): Buffer {
    if (this.spans.length === 0) return EMPTY_LIST;
    const raw = this.whole.raw;
    return jsonArray(this.spans.map((s) => raw.subarray(s.start, s.ends[Math.min(size, s.ends.length) - 1])));
  }
}

/**
 * This weekend's runs (with a poster, on show Saturday or Sunday of `day`'s week) as indexes
 * into `runs`, grouped by category: categories in code-point order, runs without one last; in
 * each, most viewed on the last 7 days first, then earliest start, then id.
 */
export async function weekendGroups(runs: readonly PerformanceSummary[], day: string, views: ReadonlyMap<string, number>): Promise<number[][]> {
  const { saturday, sunday } = weekendOf(day);
  const byCategory = new Map<string | null, number[]>();
  await upToInSlices(runs.length, (i) => {
    const r = runs[i]!;
    if (!r.poster_url || !onWeekend(r, saturday, sunday)) return;
    let group = byCategory.get(r.category);
    if (!group) byCategory.set(r.category, (group = []));
    group.push(i);
  });
  const viewsOf = (i: number) => views.get(runs[i]!.id) ?? 0;
  const order = (a: number, b: number) => {
    const ra = runs[a]!;
    const rb = runs[b]!;
    return viewsOf(b) - viewsOf(a) || compare(ra.start_date, rb.start_date) || compare(ra.id, rb.id);
  };
  const categories = [...byCategory.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : compare(a, b)));
  return categories.map((c) => byCategory.get(c)!.sort(order));
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
