import { describe, expect, it } from 'vitest';
import { decodeUtf8Strictly, findInvalidUtf8, InvalidUtf8Error, looksLikeCp949, StrictUtf8Decoder } from './utf8.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
// `printf '%s\n' '…' | iconv -f UTF-8 -t CP949 | xxd -p` (platform tests import nothing of ours)
const CP949_ARRAY = Buffer.from(
  '5b7b227469746c65223a22b9c2c1f6c4c320a1b4b7b9b9ccc1a6b6f3baeda1b5222c2273746172745f64617465223a22323032362e31322e3035227d5d0a',
  'hex',
); // [{"title":"뮤지컬 〈레미제라블〉","start_date":"2026.12.05"}]
const CP949_RECORD = Buffer.from('7b227469746c65223a22b7b9b9ccc1a6b6f3baed227d0a', 'hex'); // {"title":"레미제라블"}

function decodeInPieces(bytes: Uint8Array, size: number): string {
  const decoder = new StrictUtf8Decoder();
  let out = '';
  for (let i = 0; i < bytes.length; i += size) out += decoder.push(bytes.subarray(i, i + size));
  out += decoder.end();
  if (decoder.failed) throw decoder.error();
  return out;
}

function errorOf(work: () => unknown): InvalidUtf8Error {
  try {
    work();
  } catch (err) {
    if (err instanceof InvalidUtf8Error) return err;
    throw err;
  }
  throw new Error('expected an InvalidUtf8Error');
}

describe('strict UTF-8 decoding', () => {
  it('when text with 1- to 4-byte characters is fed in pieces of every size, then it decodes unchanged', () => {
    const text = 'a〈레미제라블〉 é 🎭 끝';
    const bytes = utf8(text);
    for (let size = 1; size <= bytes.length; size += 1) expect(decodeInPieces(bytes, size)).toBe(text);
  });

  it('when the input starts with a UTF-8 BOM, then it is dropped', () => {
    expect(decodeUtf8Strictly(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toBe('{}');
    expect(decodeInPieces(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), 1)).toBe('{}');
  });

  it('when a byte is invalid, then the error names its offset in the whole stream, however the stream is cut', () => {
    const bytes = new Uint8Array([...utf8('{"title":"레'), 0xff, ...utf8('"}')]);
    for (let size = 1; size <= bytes.length; size += 1) {
      const err = errorOf(() => decodeInPieces(bytes, size));
      expect(err.offset).toBe(13);
      expect(err.message).toContain('at byte offset 13');
      expect(err.looksLikeCp949).toBe(false);
    }
  });

  it('when a character is cut off by the end of the input, then it is refused at its first byte', () => {
    const bytes = utf8('ab레').subarray(0, 4);
    for (let size = 1; size <= bytes.length; size += 1) expect(errorOf(() => decodeInPieces(bytes, size)).offset).toBe(2);
    expect(errorOf(() => decodeUtf8Strictly(bytes)).message).toMatch(/ends inside a character/);
  });

  it('when the locator checks sequences, then it agrees with the WHATWG decoder on overlong forms, surrogates and the top', () => {
    const cases = [
      [0xc0, 0xaf],
      [0xe0, 0x80, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf5, 0x80, 0x80, 0x80],
      [0xe2, 0x82, 0xac],
      [0xf0, 0x9f, 0x8e, 0xad],
    ];
    for (const c of cases) {
      const bytes = new Uint8Array([0x41, ...c]);
      let valid = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        valid = false;
      }
      expect(findInvalidUtf8(bytes) === undefined).toBe(valid);
      if (!valid) expect(findInvalidUtf8(bytes)?.offset).toBe(1);
    }
  });

  it('when the input is CP949 Korean, then the error says so and suggests iconv', () => {
    const bytes = CP949_ARRAY;
    const err = errorOf(() => decodeUtf8Strictly(bytes));
    expect(err.looksLikeCp949).toBe(true);
    expect(err.offset).toBe(11);
    expect(err.message).toMatch(/CP949\/EUC-KR/);
    expect(err.message).toContain('iconv -f CP949 -t UTF-8');
  });

  it('when CP949 text arrives in small chunks, then the decoder still tells it is CP949, from a little more of the stream', () => {
    const bytes = CP949_RECORD;
    for (const size of [1, 2, 7]) {
      const err = errorOf(() => decodeInPieces(bytes, size));
      expect([err.offset, err.line, err.looksLikeCp949]).toEqual([10, 1, true]);
    }
  });

  it('when invalid bytes are not CP949 Korean, then no CP949 hint is given', () => {
    expect(looksLikeCp949(new Uint8Array([0x22, 0xff, 0xff, 0x22]))).toBe(false);
    // Latin-1 "é" decodes as CP949 nowhere near Hangul
    expect(looksLikeCp949(new Uint8Array([0x22, 0x63, 0x61, 0x66, 0xe9, 0x22]))).toBe(false);
    expect(errorOf(() => decodeUtf8Strictly(new Uint8Array([0x22, 0x63, 0x61, 0x66, 0xe9, 0x22]))).message).not.toMatch(/CP949/);
  });
});
