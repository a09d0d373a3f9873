import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist } from '../../test-support/process.js';
import type { LoggedEvent } from '../events.js';
import { decodeEventFile } from '../lake/lake-reader.js';
import { createWorkerEncoder, inlineEncoder, type ParquetEncoder } from './encoder.js';

const search = (i: number): LoggedEvent => ({
  event_id: `e${i}`,
  timestamp: '2026-11-27T21:15:30.123+09:00',
  topic: 'Search_log',
  action: 'search',
  user_id: i % 3 ? 'anonymous' : `user-${i % 97}`,
  device: 'Mozilla/5.0',
  keyword: `뮤지컬 ${i}`,
  category: '',
  region: '서울',
  start_date: '',
  end_date: '',
  result_count: i % 50,
});

/** Timer ticks the main thread managed while `work` ran, and how long it took. */
async function ticksDuring(work: () => Promise<unknown>): Promise<{ ticks: number; ms: number }> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  clearInterval(timer);
  return { ticks, ms };
}

let worker: ParquetEncoder;
beforeAll(() => {
  buildDist();
  worker = createWorkerEncoder();
}, 120_000);
afterAll(async () => {
  await worker?.close();
});

describe('encoding Parquet files in a worker thread', () => {
  it('when a batch is encoded in the worker, then the file reads back exactly as one encoded on this thread', async () => {
    const events = Array.from({ length: 1000 }, (_, i) => search(i));
    const [offThread, onThread] = await Promise.all([worker.encode('Search_log', events), inlineEncoder.encode('Search_log', events)]);
    expect(await decodeEventFile(offThread)).toEqual(await decodeEventFile(onThread));
    expect(await decodeEventFile(offThread)).toHaveLength(1000);
  });

  it('when a large batch is encoded, then the main event loop keeps turning, which it cannot while encoding on this thread', async () => {
    const events = Array.from({ length: 60_000 }, (_, i) => search(i));
    await worker.encode('Search_log', events.slice(0, 100)); // the worker is up
    const inline = await ticksDuring(() => inlineEncoder.encode('Search_log', events));
    const offThread = await ticksDuring(() => worker.encode('Search_log', events));
    expect(inline.ticks).toBe(0);
    expect(inline.ms).toBeGreaterThan(50);
    expect(offThread.ticks).toBeGreaterThanOrEqual(Math.min(5, Math.floor(offThread.ms / 20)));
    expect(offThread.ticks).toBeGreaterThan(0);
  });

  it('when events cannot be encoded, then the promise rejects and the next batch still encodes', async () => {
    await expect(worker.encode('Nope' as never, [search(1)])).rejects.toThrow(/Parquet encoding failed/);
    expect(await decodeEventFile(await worker.encode('Search_log', [search(2)]))).toHaveLength(1);
  });
});
