import { describe, expect, it } from 'vitest';
import { preferredCoding } from './accept-encoding.js';

describe('choosing a content coding from Accept-Encoding', () => {
  it.each([
    // what browsers send: Chromium over plain HTTP, Chromium and Firefox over HTTPS, Safari
    ['gzip, deflate', 'gzip'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, deflate, br', 'br'],
    // q-values decide, brotli wins a tie
    ['br;q=0.5, gzip', 'gzip'],
    ['gzip;q=0.8, br;q=0.9', 'br'],
    ['gzip;q=1.000, br;q=1', 'br'],
    // q=0 refuses a coding
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=0, br;q=0', undefined],
    ['gzip; q=0', undefined],
    ['gzip;q=0.000', undefined],
    // `*` stands for every coding not named
    ['*', 'br'],
    ['br;q=0, *', 'gzip'],
    ['*;q=0', undefined],
    ['gzip, *;q=0', 'gzip'],
    // identity is chosen only when rated above the codings
    ['identity', undefined],
    ['gzip;q=0.5, identity', undefined],
    ['gzip, identity;q=0.5', 'gzip'],
    ['gzip, identity', 'gzip'],
    ['identity;q=0, gzip;q=0.1', 'gzip'],
    ['*;q=0.5, gzip;q=0.2', 'br'],
    // spelling: case, x-gzip, spaces, empty elements
    ['GZIP', 'gzip'],
    ['x-gzip', 'gzip'],
    ['  gzip ;  Q=1 ,, ', 'gzip'],
    // codings this service does not make, nothing, or nonsense
    ['deflate', undefined],
    ['compress, zstd', undefined],
    ['', undefined],
    [' ', undefined],
    ['gzip;q=2', undefined],
    ['gzip;q=abc', undefined],
    ['gzip;q=0.1234', undefined],
    ['gzip;q=-1', undefined],
    ['gzipx, brotli', undefined],
  ])('when a client sends %j, then the answer is %s', (header, expected) => {
    expect(preferredCoding(header)).toBe(expected);
  });

  it('when the header is missing, then the answer is sent as it is', () => {
    expect(preferredCoding(undefined)).toBeUndefined();
  });

  it('when many distinct headers arrive, then each is still decided on its own', () => {
    for (let i = 0; i < 500; i += 1) {
      expect(preferredCoding(`gzip;q=0.${String(i % 1000).padStart(3, '0')}, x-${i}`)).toBe(i % 1000 === 0 ? undefined : 'gzip');
    }
    expect(preferredCoding('gzip, deflate, br, zstd')).toBe('br');
  });
});
