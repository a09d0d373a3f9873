import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { COMPRESS_MIN_BYTES, compressionTally, JsonBody } from './json-body.js';

const list = (n: number) => Buffer.from(JSON.stringify(Array.from({ length: n }, (_, i) => ({ id: i, title: `공연 ${i}`, location: '예술의전당' }))));

describe('a JSON body kept with its compressed forms', () => {
  it('when a coding is asked for twice, also concurrently, then the body is compressed once and the same bytes are served', async () => {
    const body = new JsonBody(list(500));
    const before = compressionTally();
    expect(body.ready('gzip')).toBeUndefined();

    const [a, b] = await Promise.all([body.encoded('gzip'), body.encoded('gzip')]);
    const c = await body.encoded('gzip');

    expect(a).toBeDefined();
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(body.ready('gzip')).toBe(a);
    expect(body.ready('br')).toBeUndefined();
    expect(gunzipSync(a!).equals(body.raw)).toBe(true);
    expect(compressionTally().gzip.bodies - before.gzip.bodies).toBe(1);
  });

  it('when brotli is asked for, then it decodes to the body and is smaller than gzip', async () => {
    const body = new JsonBody(list(2000));
    const br = await body.encoded('br');
    const gz = await body.encoded('gzip');
    expect(brotliDecompressSync(br!).equals(body.raw)).toBe(true);
    expect(br!.length).toBeLessThan(gz!.length);
  });

  it('when compressed forms are made, then its size counts them and its owner hears of each', async () => {
    const grown: number[] = [];
    const body = new JsonBody(list(300), (b) => grown.push(b.bytes));
    expect(body.bytes).toBe(body.raw.length);
    const gz = await body.encoded('gzip');
    const br = await body.encoded('br');
    expect(body.bytes).toBe(body.raw.length + gz!.length + br!.length);
    expect(grown).toEqual([body.raw.length + gz!.length, body.bytes]);
  });

  it('when a body is below the threshold, then it is not worth compressing; when compression does not shrink it, then none is kept', async () => {
    expect(new JsonBody(Buffer.alloc(COMPRESS_MIN_BYTES - 1, 'a')).compressible).toBe(false);
    expect(new JsonBody(Buffer.alloc(COMPRESS_MIN_BYTES, 'a')).compressible).toBe(true);
    const random = new JsonBody(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + ((i * i) % 251)) % 256)));
    expect(await random.encoded('gzip')).toBeUndefined();
    expect(random.ready('gzip')).toBeNull();
    expect(random.bytes).toBe(4096);
  });
});
