import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** The content codings answers are compressed with (`deflate` adds nothing over gzip; Node 20 has no zstd). */
export type ContentCoding = 'br' | 'gzip';

/**
 * Bodies smaller than this are sent as they are. Under it, an answer and its headers fit in one
 * TCP segment (1448 bytes of payload on a 1500-byte MTU) whether compressed or not, so compression
 * saves no packet and no round trip; it is also where nginx starts (`gzip_min_length 1024`), so
 * clients see the same either way. ADR 11 has the measurements.
 */
export const COMPRESS_MIN_BYTES = 1024;

/**
 * Brotli's quality. 5 makes catalogue lists 10–20 % smaller than gzip's default level in about
 * 1.5–4× its time (the whole 15.9 MB catalogue: 1.67 MB in 0.6 s, gzip 2.06 MB in 0.14 s); 11
 * saves another 7–10 % at 30–300× the time (3 s for 1.4 MB, 90 ms for 30 KB), which a search
 * body made for one client's keyword cannot pay back (ADR 11).
 */
export const BROTLI_QUALITY = 5;
/** gzip's default level: 9 saves 2–5 % more at twice the time. */
export const GZIP_LEVEL = 6;

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** What compressing has cost this process so far, per coding (for `/metrics`). */
export interface CompressionTally {
  bodies: number;
  bytesIn: number;
  bytesOut: number;
  seconds: number;
}

const tally: Record<ContentCoding, CompressionTally> = {
  gzip: { bodies: 0, bytesIn: 0, bytesOut: 0, seconds: 0 },
  br: { bodies: 0, bytesIn: 0, bytesOut: 0, seconds: 0 },
};

/** A copy of the running totals of every body compressed in this process. */
export function compressionTally(): Record<ContentCoding, CompressionTally> {
  return { gzip: { ...tally.gzip }, br: { ...tally.br } };
}

async function compress(coding: ContentCoding, raw: Buffer): Promise<Buffer> {
  const started = performance.now();
  // the async zlib calls run on libuv's threadpool: the event loop only hands the buffer over
  const out =
    coding === 'gzip'
      ? await gzipAsync(raw, { level: GZIP_LEVEL })
      : await brotliAsync(raw, {
          params: {
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
            [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          },
        });
  const t = tally[coding];
  t.bodies += 1;
  t.bytesIn += raw.length;
  t.bytesOut += out.length;
  t.seconds += (performance.now() - started) / 1000;
  return out;
}

/**
 * A JSON answer kept in memory: its UTF-8 bytes, and its compressed forms, each made once on
 * first demand, off the event loop, and kept with it. Concurrent requests for a form that is
 * still being made share the one promise; a cached body therefore costs no compression after its
 * first request in each coding.
 */
export class JsonBody {
  private readonly forms: Partial<Record<ContentCoding, Promise<Buffer | undefined>>> = {};
  /** The forms made so far (null: made, but not smaller than the raw body), read without a wait. */
  private readonly made: Partial<Record<ContentCoding, Buffer | null>> = {};
  private formBytes = 0;

  /**
   * @param onGrow called once a compressed form has been added (a cache bounded in bytes counts
   *   it then: see `bytes`).
   */
  constructor(
    readonly raw: Buffer,
    private readonly onGrow?: (body: JsonBody) => void,
  ) {}

  /** Whether the body is large enough to be worth compressing at all. */
  get compressible(): boolean {
    return this.raw.length >= COMPRESS_MIN_BYTES;
  }

  /** Bytes held: the raw body and the compressed forms made so far. */
  get bytes(): number {
    return this.raw.length + this.formBytes;
  }

  /** The body in `coding` if it has been made (null: made, but not smaller), undefined if not yet. */
  ready(coding: ContentCoding): Buffer | null | undefined {
    return this.made[coding];
  }

  /**
   * The body in `coding`, or undefined when that is not smaller than the raw body (then send it
   * raw). A failure is not kept: the caller sends the raw body and the next request tries again.
   */
  encoded(coding: ContentCoding): Promise<Buffer | undefined> {
    let form = this.forms[coding];
    if (form === undefined) {
      form = compress(coding, this.raw).then(
        (out) => {
          if (out.length >= this.raw.length) {
            this.made[coding] = null;
            return undefined;
          }
          this.made[coding] = out;
          this.formBytes += out.length;
          this.onGrow?.(this);
          return out;
        },
        () => {
          delete this.forms[coding];
          return undefined;
        },
      );
      this.forms[coding] = form;
    }
    return form;
  }
}
