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
  /** The strongest features of a document used to find its candidates (bounds the cost of long synopses). */
  maxFeatures: number;
  /** Called now and then so a caller can yield to other work or stop. */
  pause?: () => Promise<void>;
}

/**
 * `full`: each document's TF-IDF vector, divided by its L2 norm, so the dot product of two is
 * their exact cosine. Grams found in one document only are left out of the stored vector (they
 * cannot be shared) but count in the norm. `top`: the same weights for the `maxFeatures`
 * heaviest grams only; its dot products are lower bounds of the cosine, cheap enough to rank
 * every candidate before the best few are scored exactly.
 */
export interface DocumentVectors {
  full: SparseVectors;
  top: SparseVectors;
}

function sparse(offsets: Uint32Array): SparseVectors {
  const size = offsets[offsets.length - 1]!;
  return { offsets, terms: new Uint32Array(size), weights: new Float32Array(size) };
}

/** TF-IDF with sublinear tf (1 + ln tf) and smooth idf (ln((1 + N) / (1 + df)) + 1). */
export async function buildVectors(texts: readonly string[], opts: VectorOptions): Promise<DocumentVectors> {
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

  const fullOffsets = new Uint32Array(n + 1);
  const topOffsets = new Uint32Array(n + 1);
  for (let d = 0; d < n; d += 1) {
    const dt = docTerms[d]!;
    let shared = 0;
    for (let k = 0; k < dt.length; k += 1) if (df[dt[k]!]! >= 2) shared += 1;
    fullOffsets[d + 1] = fullOffsets[d]! + shared;
    topOffsets[d + 1] = topOffsets[d]! + Math.min(shared, opts.maxFeatures);
  }
  const full = sparse(fullOffsets);
  const top = sparse(topOffsets);
  for (let d = 0; d < n; d += 1) {
    const dt = docTerms[d]!;
    const w = docTfs[d]!;
    let norm = 0;
    for (let k = 0; k < dt.length; k += 1) {
      w[k] = w[k]! * idf[dt[k]!]!;
      norm += w[k]! * w[k]!;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const shared = Array.from(dt.keys()).filter((k) => df[dt[k]!]! >= 2);
    let strongest = shared;
    if (shared.length > opts.maxFeatures) {
      strongest = [...shared].sort((x, y) => w[y]! - w[x]! || dt[x]! - dt[y]!).slice(0, opts.maxFeatures);
    }
    for (const [vectors, keys] of [
      [full, shared],
      [top, strongest],
    ] as const) {
      keys.sort((x, y) => dt[x]! - dt[y]!);
      let at = vectors.offsets[d]!;
      for (const k of keys) {
        vectors.terms[at] = dt[k]!;
        vectors.weights[at] = w[k]! * scale;
        at += 1;
      }
    }
    docTerms[d] = EMPTY_TERMS;
    docTfs[d] = EMPTY_TFS;
    if ((d & 255) === 255) await opts.pause?.();
  }
  return { full, top };
}

/** The dot product of documents a and b (their cosine, for `full` vectors). */
export function dot(v: SparseVectors, a: number, b: number): number {
  let i = v.offsets[a]!;
  const iEnd = v.offsets[a + 1]!;
  let j = v.offsets[b]!;
  const jEnd = v.offsets[b + 1]!;
  let sum = 0;
  while (i < iEnd && j < jEnd) {
    const ti = v.terms[i]!;
    const tj = v.terms[j]!;
    if (ti === tj) {
      sum += v.weights[i]! * v.weights[j]!;
      i += 1;
      j += 1;
    } else if (ti < tj) i += 1;
    else j += 1;
  }
  return sum;
}

const EMPTY_TERMS = new Uint32Array(0);
const EMPTY_TFS = new Float32Array(0);
