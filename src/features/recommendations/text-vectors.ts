/**
 * Character n-gram TF-IDF vectors. Korean words glue particles and endings to their stems, so
 * word tokens split the same stem many ways; 2- and 3-grams of characters match stems without
 * a morphological analyser or a downloaded model.
 */

/** Lower-case, NFKC, only letters and digits, single spaces. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const SPACE = 32;
const P16 = 65536;
const P32 = 4294967296;

/**
 * Counts the 2- and 3-grams of each word padded with a space on both sides (so word starts and
 * ends are features). Grams are numbers, not strings: a 2-gram is below 2^32, a 3-gram (whose
 * first unit is at least a space) is at least 2^37, and both are exact in a double.
 */
export function countGrams(normalised: string, into: Map<number, number>): void {
  into.clear();
  const n = normalised.length;
  let a = SPACE;
  let b = -1;
  for (let i = 0; i <= n; i += 1) {
    const c = i < n ? normalised.charCodeAt(i) : SPACE;
    if (b === -1) {
      if (c === SPACE) continue;
      b = c;
      const bi = a * P16 + b;
      into.set(bi, (into.get(bi) ?? 0) + 1);
      continue;
    }
    const bi = b * P16 + c;
    into.set(bi, (into.get(bi) ?? 0) + 1);
    const tri = a * P32 + b * P16 + c;
    into.set(tri, (into.get(tri) ?? 0) + 1);
    if (c === SPACE) {
      a = SPACE;
      b = -1;
    } else {
      a = b;
      b = c;
    }
  }
}

/** L2-normalised sparse vectors of many documents, in compressed rows: doc d owns [offsets[d], offsets[d+1]). */
export interface SparseVectors {
  offsets: Uint32Array;
  terms: Uint32Array;
  weights: Float32Array;
}

export interface VectorOptions {
  /** The strongest features kept per document (bounds the cost of long synopses). */
  maxFeatures: number;
  /** Called now and then so a caller can yield to other work or stop. */
  pause?: () => Promise<void>;
}

/**
 * TF-IDF with sublinear tf (1 + ln tf) and smooth idf (ln((1 + N) / (1 + df)) + 1), each vector
 * cut to its `maxFeatures` heaviest terms and L2-normalised, so a dot product is a cosine.
 */
export async function buildVectors(texts: readonly string[], opts: VectorOptions): Promise<SparseVectors> {
  const vocabulary = new Map<number, number>();
  const df: number[] = [];
  const docTerms: Uint32Array[] = [];
  const docTfs: Float32Array[] = [];
  const counts = new Map<number, number>();
  for (let d = 0; d < texts.length; d += 1) {
    countGrams(normaliseText(texts[d]!), counts);
    const terms = new Uint32Array(counts.size);
    const tfs = new Float32Array(counts.size);
    let k = 0;
    for (const [gram, tf] of counts) {
      let id = vocabulary.get(gram);
      if (id === undefined) {
        id = df.length;
        vocabulary.set(gram, id);
        df.push(0);
      }
      df[id] = df[id]! + 1;
      terms[k] = id;
      tfs[k] = 1 + Math.log(tf);
      k += 1;
    }
    docTerms.push(terms);
    docTfs.push(tfs);
    if ((d & 255) === 255) await opts.pause?.();
  }
  vocabulary.clear();

  const n = texts.length;
  const idf = new Float32Array(df.length);
  for (let t = 0; t < df.length; t += 1) idf[t] = Math.log((1 + n) / (1 + df[t]!)) + 1;

  const offsets = new Uint32Array(n + 1);
  for (let d = 0; d < n; d += 1) offsets[d + 1] = offsets[d]! + Math.min(docTerms[d]!.length, opts.maxFeatures);
  const terms = new Uint32Array(offsets[n]!);
  const weights = new Float32Array(offsets[n]!);
  for (let d = 0; d < n; d += 1) {
    const dt = docTerms[d]!;
    const w = docTfs[d]!;
    for (let k = 0; k < dt.length; k += 1) w[k] = w[k]! * idf[dt[k]!]!;
    let order = Array.from(dt.keys());
    if (order.length > opts.maxFeatures) {
      order.sort((x, y) => w[y]! - w[x]! || dt[x]! - dt[y]!);
      order = order.slice(0, opts.maxFeatures);
    }
    order.sort((x, y) => dt[x]! - dt[y]!);
    let norm = 0;
    for (const k of order) norm += w[k]! * w[k]!;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    let at = offsets[d]!;
    for (const k of order) {
      terms[at] = dt[k]!;
      weights[at] = w[k]! * scale;
      at += 1;
    }
    docTerms[d] = EMPTY_TERMS;
    docTfs[d] = EMPTY_TFS;
    if ((d & 255) === 255) await opts.pause?.();
  }
  return { offsets, terms, weights };
}

const EMPTY_TERMS = new Uint32Array(0);
const EMPTY_TFS = new Float32Array(0);
