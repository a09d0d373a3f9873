import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestS3, type TestS3 } from '../../test-support/s3.js';
import type { Lake } from './lake.js';
import { createLocalLake } from './local-lake.js';
import { createMemoryLake } from './memory-lake.js';
import { createS3Lake } from './s3-lake.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

interface Adapter {
  name: string;
  open(): Promise<{ lake: Lake; close(): Promise<void> }>;
}

let s3: TestS3;
let prefixes = 0;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3?.close();
});

const adapters: Adapter[] = [
  { name: 'memory', open: async () => ({ lake: createMemoryLake(), close: async () => {} }) },
  {
    name: 'local folder',
    open: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-lake-'));
      return { lake: createLocalLake(dir), close: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 's3',
    open: async () => {
      const lake = createS3Lake({
        bucket: s3.bucket,
        prefix: `run-${++prefixes}/base`,
        endpoint: s3.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      });
      return { lake, close: async () => lake.close() };
    },
  },
];

describe.each(adapters)('the $name lake', (adapter) => {
  it('when an object is put, then get returns the same bytes and an unknown key returns undefined', async () => {
    const { lake, close } = await adapter.open();
    try {
      await lake.put('logs/Search_log/a.parquet', bytes('검색 one'));
      expect(text(await lake.get('logs/Search_log/a.parquet'))).toBe('검색 one');
      expect(await lake.get('logs/Search_log/missing.parquet')).toBeUndefined();
    } finally {
      await close();
    }
  });

  it('when a key is put twice, then the second body replaces the first', async () => {
    const { lake, close } = await adapter.open();
    try {
      await lake.put('logs/View_detail_log/x.parquet', bytes('first, longer body'));
      await lake.put('logs/View_detail_log/x.parquet', bytes('second'));
      expect(text(await lake.get('logs/View_detail_log/x.parquet'))).toBe('second');
      expect(await lake.list('logs/View_detail_log/')).toEqual([{ key: 'logs/View_detail_log/x.parquet', size: 6 }]);
    } finally {
      await close();
    }
  });

  it('when listing a prefix, then only its objects come back, ordered by key, with sizes', async () => {
    const { lake, close } = await adapter.open();
    try {
      await lake.put('logs/Search_log/2.parquet', bytes('bb'));
      await lake.put('logs/Search_log/1.parquet', bytes('a'));
      await lake.put('logs/Search_logX/3.parquet', bytes('ccc'));
      await lake.put('logs/View_detail_log/1.parquet', bytes('dddd'));
      expect(await lake.list('logs/Search_log/')).toEqual([
        { key: 'logs/Search_log/1.parquet', size: 1 },
        { key: 'logs/Search_log/2.parquet', size: 2 },
      ]);
      expect((await lake.list('logs/Search_log')).map((o) => o.key)).toEqual([
        'logs/Search_log/1.parquet',
        'logs/Search_log/2.parquet',
        'logs/Search_logX/3.parquet',
      ]);
      expect(await lake.list('nothing/')).toEqual([]);
    } finally {
      await close();
    }
  });

  it('when a local file is put under a key, then get returns its bytes, and delete removes it (twice is no error)', async () => {
    const { lake, close } = await adapter.open();
    const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-putfile-'));
    try {
      const file = path.join(dir, 'day.parquet');
      const body = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);
      writeFileSync(file, body);
      await lake.putFile('logs/Search_log/20261127-day.parquet', file);
      await lake.put('logs/Search_log/keep.parquet', bytes('keep'));
      expect(await lake.get('logs/Search_log/20261127-day.parquet')).toEqual(body);
      await lake.delete('logs/Search_log/20261127-day.parquet');
      await lake.delete('logs/Search_log/20261127-day.parquet');
      expect(await lake.get('logs/Search_log/20261127-day.parquet')).toBeUndefined();
      expect((await lake.list('logs/')).map((o) => o.key)).toEqual(['logs/Search_log/keep.parquet']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await close();
    }
  });
});

describe('the local folder lake', () => {
  it('when a put finishes, then no temporary file is left beside the object', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-lake-'));
    try {
      const lake = createLocalLake(dir);
      await Promise.all([1, 2, 3].map((n) => lake.put('logs/T/a.parquet', bytes(`body ${n}`))));
      expect(readdirSync(path.join(dir, 'logs', 'T'))).toEqual(['a.parquet']);
      await expect(lake.put('../escape', bytes('x'))).rejects.toThrow(/not a valid lake key/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when a key could name a file outside the folder, then put, get and list refuse it and nothing is written there', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'ticketmoa-lake-'));
    const dir = path.join(parent, 'lake');
    try {
      const lake = createLocalLake(dir);
      for (const key of ['../escape', 'logs/T/../../../escape', '/tmp/escape', 'logs\\..\\..\\escape', 'logs//x', 'logs/x\u0000', './x']) {
        await expect(lake.put(key, bytes('x')), key).rejects.toThrow(/not a valid lake key/);
        await expect(lake.get(key), key).rejects.toThrow(/not a valid lake key/);
      }
      await expect(lake.list('logs/../../')).rejects.toThrow(/not a valid lake key/);
      expect(readdirSync(parent)).toEqual([]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe('the s3 lake against a server that accepts connections and never answers', () => {
  it('when a put stalls, then it fails within the request timeout instead of hanging', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('data', () => {}); // read the request, answer nothing
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const lake = createS3Lake({
      bucket: 'lake',
      prefix: '',
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      requestTimeoutMs: 400,
    });
    try {
      const started = performance.now();
      await expect(lake.put('logs/Search_log/a.parquet', bytes('x'))).rejects.toThrow();
      await expect(lake.list('logs/')).rejects.toThrow();
      expect(performance.now() - started).toBeLessThan(3000);
      expect(sockets.size).toBeGreaterThan(0); // it did reach the server
    } finally {
      lake.close();
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});
