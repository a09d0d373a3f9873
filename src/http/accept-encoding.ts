import type { ContentCoding } from '../platform/json-body.js';

/** `q=` as RFC 9110 writes it: 0 to 1 with at most three decimals. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** The header values seen recently and what they chose: browsers send the same few strings. */
const chosen = new Map<string, ContentCoding | undefined>();
const CHOSEN_MAX = 64;

/**
 * The content coding to answer with, from a request's `Accept-Encoding` (RFC 9110 §12.5.3), or
 * undefined to send the body as it is:
 * - the acceptable one of br and gzip with the higher q-value (`x-gzip` is gzip), br on a tie;
 * - `q=0` refuses a coding, and `*` stands for every coding the header does not name;
 * - without the header, or with an empty one, nothing is compressed (a client that names no
 *   coding may not decode one);
 * - `identity` (the uncompressed body) is always acceptable and is chosen only when the client
 *   rates it above every coding it accepts (`gzip;q=0.5, identity`);
 * - an element with a malformed q-value is ignored.
 */
export function preferredCoding(header: string | undefined): ContentCoding | undefined {
  if (header === undefined || header === '') return undefined;
  if (chosen.has(header)) return chosen.get(header);
  const coding = choose(header);
  if (chosen.size >= CHOSEN_MAX) chosen.clear();
  chosen.set(header, coding);
  return coding;
}

function choose(header: string): ContentCoding | undefined {
  const q = new Map<string, number>();
  for (const element of header.split(',')) {
    const [name = '', ...params] = element.split(';');
    let token = name.trim().toLowerCase();
    if (token === '') continue;
    if (token === 'x-gzip') token = 'gzip';
    let weight = 1;
    for (const param of params) {
      const [key = '', value = ''] = param.split('=').map((p) => p.trim());
      if (key.toLowerCase() !== 'q') continue;
      weight = QVALUE.test(value) ? Number(value) : Number.NaN;
    }
    // the first mention of a coding counts
    if (!Number.isNaN(weight) && !q.has(token)) q.set(token, weight);
  }
  const star = q.get('*');
  const weightOf = (coding: ContentCoding) => q.get(coding) ?? star ?? 0;
  const br = weightOf('br');
  const gzip = weightOf('gzip');
  const best: ContentCoding = br >= gzip ? 'br' : 'gzip';
  const bestWeight = Math.max(br, gzip);
  if (bestWeight === 0) return undefined;
  const identity = q.get('identity') ?? star;
  return identity !== undefined && identity > bestWeight ? undefined : best;
}
