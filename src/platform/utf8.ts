/**
 * Strict UTF-8 decoding for input files: a file that is not valid UTF-8 is refused with the byte
 * offset of the first bad byte, and a hint when it looks like the legacy Korean encoding
 * (CP949/EUC-KR), instead of turning into U+FFFD.
 */

/** Thrown for input that is not valid UTF-8. */
export class InvalidUtf8Error extends Error {
  constructor(
    /** 0-based offset of the first byte that is not part of a valid sequence. */
    readonly offset: number,
    /** The input decodes cleanly as CP949 (EUC-KR) and holds Hangul. */
    readonly looksLikeCp949: boolean,
    detail: string,
  ) {
    super(
      `not valid UTF-8: ${detail} at byte offset ${offset}` +
        (looksLikeCp949
          ? '; it looks like the legacy Korean encoding CP949/EUC-KR: convert it first, e.g. `iconv -f CP949 -t UTF-8 in.json > out.json`'
          : '; save the file as UTF-8 (e.g. `iconv -f <its encoding> -t UTF-8 in.json > out.json`)'),
    );
    this.name = 'InvalidUtf8Error';
  }
}

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * The first invalid sequence in `bytes` from `start` (which must be a character boundary), as
 * the WHATWG decoder sees it: overlong forms, surrogates and code points past U+10FFFF are
 * invalid. A sequence cut off by the end counts only when `final` (otherwise more bytes follow).
 */
export function findInvalidUtf8(bytes: Uint8Array, start = 0, final = true): { offset: number; detail: string } | undefined {
  let i = start;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lower = 0xa0;
      if (b === 0xed) upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lower = 0x90;
      if (b === 0xf4) upper = 0x8f;
    } else {
      return { offset: i, detail: `byte ${hex(b)} cannot start a character` };
    }
    for (let k = 1; k <= need; k += 1) {
      if (i + k >= bytes.length) return final ? { offset: i, detail: `the file ends inside a character (${hex(b)} …)` } : undefined;
      const c = bytes[i + k]!;
      if (c < lower || c > upper) return { offset: i, detail: `byte ${hex(b)} followed by ${hex(c)} is not a character` };
      lower = 0x80;
      upper = 0xbf;
    }
    i += need + 1;
  }
  return undefined;
}

const HANGUL = /[\uac00-\ud7a3\u3131-\u318e]/;

/**
 * True when the bytes decode as CP949 (WHATWG `euc-kr`, which is Windows-949) without error and
 * hold Hangul. The sample is trimmed to ASCII bytes below 0x41 at both ends, which are never the
 * second byte of a CP949 pair, so a cut through a character does not spoil the test.
 */
export function looksLikeCp949(sample: Uint8Array): boolean {
  let from = 0;
  while (from < sample.length && sample[from]! >= 0x41) from += 1;
  let to = sample.length;
  while (to > from && sample[to - 1]! >= 0x41) to -= 1;
  // no ASCII anchor at all: try the whole sample
  const part = to > from ? sample.subarray(from, to) : sample;
  try {
    return HANGUL.test(new TextDecoder('euc-kr', { fatal: true }).decode(part));
  } catch {
    return false;
  }
}

/** How many bytes around the first bad byte are looked at to tell CP949 from other damage. */
const SAMPLE_BYTES = 64 * 1024;

function invalidError(bytes: Uint8Array, start: number, base: number, final: boolean): InvalidUtf8Error {
  const found = findInvalidUtf8(bytes, start, final) ?? { offset: bytes.length, detail: 'invalid sequence' };
  const from = Math.max(0, found.offset - 64);
  const sample = bytes.subarray(from, Math.min(bytes.length, found.offset + SAMPLE_BYTES));
  return new InvalidUtf8Error(base + found.offset, looksLikeCp949(sample), found.detail);
}

/** Decodes a whole buffer, refusing anything but valid UTF-8 (a leading BOM is dropped). */
export function decodeUtf8Strictly(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidError(bytes, 0, 0, true);
  }
}

/**
 * Decodes a stream chunk by chunk; a character split across chunks is joined. `push` and `end`
 * throw `InvalidUtf8Error` with the offset in the whole stream. A leading BOM is dropped.
 */
export class StrictUtf8Decoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** Bytes of the stream before the current chunk. */
  private before = 0;
  /** The last (up to 3) bytes of the previous chunk: the start of a character it left open. */
  private tail: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): string {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      throw this.locate(chunk, false);
    }
    this.before += chunk.length;
    this.tail = chunk.length >= 3 ? chunk.slice(chunk.length - 3) : concat(this.tail, chunk).slice(-3);
    return text;
  }

  end(): string {
    try {
      return this.decoder.decode();
    } catch {
      throw this.locate(new Uint8Array(0), true);
    }
  }

  /** Everything before the current chunk was valid but for a character its end left open. */
  private locate(chunk: Uint8Array, final: boolean): InvalidUtf8Error {
    const joined = concat(this.tail, chunk);
    // skip the ends of characters that the previous chunk completed
    let start = 0;
    while (start < this.tail.length && (joined[start]! & 0xc0) === 0x80) start += 1;
    return invalidError(joined, start, this.before - this.tail.length, final);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
