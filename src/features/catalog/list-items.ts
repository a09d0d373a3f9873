import type { PerformanceSummary } from './performance.js';
import { isExclusive, isOnSale } from './rules.js';
import { Slices } from '../../platform/slices.js';

const OPEN = 0x5b; // [
const COMMA = 0x2c; // ,
const CLOSE = 0x5d; // ]
export const EMPTY_LIST = Buffer.from('[]');

/** Runs `visit` over `values` in slices of at most SLICE_MS of loop time. */
export async function inSlices<T>(values: readonly T[], visit: (value: T) => void): Promise<void> {
  const slices = new Slices();
  for (let k = 0; k < values.length; k += 1) {
    visit(values[k]!);
    await slices.next();
  }
}

/** Runs `visit` over 0 … count − 1 in slices of at most SLICE_MS of loop time. */
export async function upToInSlices(count: number, visit: (index: number) => void): Promise<void> {
  const slices = new Slices();
  for (let i = 0; i < count; i += 1) {
    visit(i);
    await slices.next();
  }
}

/** 0 … count − 1 (a plain loop: `Array.from(keys())` takes milliseconds at 50,000). */
export function indexesUpTo(count: number): number[] {
  const all = new Array<number>(count);
  for (let i = 0; i < count; i += 1) all[i] = i;
  return all;
}

/**
 * The list items of one KST day and one catalogue snapshot, each serialised to UTF-8 once:
 * list bodies are assembled by copying bytes. The runs are the snapshot's own array, so a build
 * that yields to the loop keeps reading the runs its indexes refer to, even if a reload replaced
 * the snapshot meanwhile.
 */
export class ListItems {
  private readonly items: (Buffer | undefined)[];

  constructor(
    readonly day: string,
    readonly runs: readonly PerformanceSummary[],
    private readonly posterUrl: (run: PerformanceSummary) => string | null,
  ) {
    this.items = new Array<Buffer | undefined>(runs.length);
  }

  item(index: number): Buffer {
    let json = this.items[index];
    if (json === undefined) {
      const r = this.runs[index]!;
      json = Buffer.from(
        JSON.stringify({
          id: r.id,
          title: r.title,
          poster_url: this.posterUrl(r),
          location: r.location,
          start_date: r.start_date,
          end_date: r.end_date,
          category: r.category,
          onSale: isOnSale(r, this.day),
          isExclusive: isExclusive(r),
          // last, so that a caller's likes are spliced into the shared body (src/http/liked-lists.ts)
          is_liked: false,
        }),
      );
      this.items[index] = json;
    }
    return json;
  }

  /** A JSON array of the items at `indexes`, built in one go: for short lists. */
  list(indexes: readonly number[]): Buffer {
    if (indexes.length === 0) return EMPTY_LIST;
    return join(
      indexes.map((i) => this.item(i)),
      indexes.length,
    );
  }

  /**
   * The same array built in slices of at most a few milliseconds of loop time (serialising the
   * items not made yet, then copying them into one buffer), so that requests arriving meanwhile
   * are answered between slices: for lists of any length.
   */
  async listInSlices(indexes: readonly number[]): Promise<Buffer> {
    if (indexes.length === 0) return EMPTY_LIST;
    let bytes = 1 + indexes.length; // '[', the commas and ']'
    await inSlices(indexes, (i) => {
      bytes += this.item(i).length;
    });
    const out = Buffer.allocUnsafe(bytes);
    let at = 0;
    out[at++] = OPEN;
    await inSlices(indexes, (i) => {
      if (at !== 1) out[at++] = COMMA;
      at += this.item(i).copy(out, at);
    });
    out[at++] = CLOSE;
    return out;
  }
}

/** `[` + the parts joined by commas + `]`. */
function join(parts: Buffer[], count: number): Buffer {
  let bytes = 1 + count;
  for (const p of parts) bytes += p.length;
  const out = Buffer.allocUnsafe(bytes);
  let at = 0;
  out[at++] = OPEN;
  parts.forEach((p, k) => {
    if (k > 0) out[at++] = COMMA;
    at += p.copy(out, at);
  });
  out[at++] = CLOSE;
  return out;
}

/** A JSON array of already serialised JSON values (lists of lists, cut-out groups …). */
export function jsonArray(parts: Buffer[]): Buffer {
  return parts.length === 0 ? EMPTY_LIST : join(parts, parts.length);
}
