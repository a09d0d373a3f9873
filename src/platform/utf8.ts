/**
 * Strict UTF-8 decoding for input files: a file that is not valid UTF-8 is refused with the byte
 * offset of the first bad byte, and a hint when it looks like the legacy Korean encoding
 * (CP949/EUC-KR), instead of turning into U+FFFD.
 */

/** Thrown for input that is not valid UTF-8. */
export class InvalidUtf8Error extends Error {
  /** 1-based line of the bad byte (set by the stream decoder). */
  line: number | undefined;

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
    this.line = undefined;
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
 * hold Hangul. The sample may start or end in the middle of a two-byte pair: one byte is dropped
 * at either end when that makes it decode.
 */
export function looksLikeCp949(sample: Uint8Array): boolean {
  const decoder = new TextDecoder('euc-kr', { fatal: true });
  for (const [from, cut] of [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ] as const) {
    if (sample.length - from - cut <= 0) continue;
    try {
      return HANGUL.test(decoder.decode(sample.subarray(from, sample.length - cut)));
    } catch {
      // try the next cut
    }
  }
  return false;
}

/** How many bytes from the first bad byte are looked at to tell CP949 from other damage. */
const SAMPLE_BYTES = 16 * 1024;

/**
 * Where the CP949 sample starts: just after the last byte below 0x41 (ASCII punctuation, digits
 * or a line end, never half of a CP949 pair) shortly before the bad byte.
 */
function sampleStart(bytes: Uint8Array, lowest: number, offset: number): number {
  let from = offset;
  while (from > lowest && offset - from < 64 && bytes[from - 1]! >= 0x41) from -= 1;
  return from;
}

function locate(bytes: Uint8Array, start: number, final: boolean): { offset: number; detail: string } {
  return findInvalidUtf8(bytes, start, final) ?? { offset: start, detail: 'invalid sequence' };
}

/** Decodes a whole buffer, refusing anything but valid UTF-8 (a leading BOM is dropped). */
export function decodeUtf8Strictly(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const found = locate(bytes, 0, true);
    const sample = bytes.subarray(sampleStart(bytes, 0, found.offset), found.offset + SAMPLE_BYTES);
    throw new InvalidUtf8Error(found.offset, looksLikeCp949(sample), found.detail);
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

/**
 * Decodes a stream chunk by chunk; a character split across chunks is joined, a leading BOM is
 * dropped. At the first invalid byte it stops decoding (`failed`): give it `more()` of the
 * stream while `wantsMore` (a few KiB, so the CP949 test sees whole words), then `error()` names
 * the offset and line in the whole stream.
 */
export class StrictUtf8Decoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** Bytes of the stream before the current chunk. */
  private before = 0;
  private newlines = 0;
  /** The last (up to 3) bytes of the previous chunk: the start of a character it left open. */
  private tail: Uint8Array = new Uint8Array(0);
  private failure: { offset: number; line: number; detail: string; sample: Uint8Array[]; sampled: number } | undefined;

  get failed(): boolean {
    return this.failure !== undefined;
  }

  get wantsMore(): boolean {
    return this.failure !== undefined && this.failure.sampled < SAMPLE_BYTES;
  }

  /** The decoded text of this chunk ('' once failed). */
  push(chunk: Uint8Array): string {
    if (this.failure) {
      this.more(chunk);
      return '';
    }
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      this.fail(chunk, false);
      return '';
    }
    this.newlines += countNewlines(text);
    this.before += chunk.length;
    this.tail = chunk.length >= 3 ? chunk.slice(chunk.length - 3) : concat([this.tail, chunk]).slice(-3);
    return text;
  }

  /** The rest of the text at the end of the stream ('' once failed). */
  end(): string {
    if (this.failure) return '';
    try {
      return this.decoder.decode();
    } catch {
      this.fail(new Uint8Array(0), true);
      return '';
    }
  }

  more(chunk: Uint8Array): void {
    if (!this.wantsMore) return;
    const part = chunk.subarray(0, SAMPLE_BYTES - this.failure!.sampled);
    this.failure!.sample.push(part);
    this.failure!.sampled += part.length;
  }

  error(): InvalidUtf8Error | undefined {
    const f = this.failure;
    if (!f) return undefined;
    const err = new InvalidUtf8Error(f.offset, looksLikeCp949(concat(f.sample)), f.detail);
    return Object.assign(err, { line: f.line });
  }

  /** Everything before the current chunk was valid but for a character its end left open. */
  private fail(chunk: Uint8Array, final: boolean): void {
    const joined = concat([this.tail, chunk]);
    // skip the ends of characters that the previous chunk completed
    let start = 0;
    while (start < this.tail.length && (joined[start]! & 0xc0) === 0x80) start += 1;
    const found = locate(joined, start, final);
    let line = this.newlines + 1;
    for (let i = this.tail.length; i < found.offset; i += 1) if (joined[i] === 0x0a) line += 1;
    const sample = joined.subarray(sampleStart(joined, start, found.offset), found.offset + SAMPLE_BYTES);
    this.failure = { offset: this.before - this.tail.length + found.offset, line, detail: found.detail, sample: [sample], sampled: sample.length };
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
