import { describe, expect, it } from 'vitest';
import type { SimilarRunsRequest, SimilarRunsSummary } from './recommendation.service.js';
import { SimilarRunsBackfill } from './similar-runs-backfill.js';

/** A compute whose passes wait until the test settles them. */
function passes() {
  const calls: { request: SimilarRunsRequest; signal: AbortSignal; settle: (err?: Error) => void }[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const compute = (request: SimilarRunsRequest, signal: AbortSignal) =>
    new Promise<SimilarRunsSummary>((resolve, reject) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      const settle = (err?: Error) => {
        running -= 1;
        if (err) reject(err);
        else resolve({ computed: request.ids.length, leftForBuild: 0 });
      };
      signal.addEventListener('abort', () => settle(new Error('stopped')), { once: true });
      calls.push({ request, signal, settle });
    });
  return { calls, compute, mostAtOnce: () => mostAtOnce };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('SimilarRunsBackfill', () => {
  it('when many runs are asked for while a pass runs, then they wait for one next pass, each once, never two passes at a time', async () => {
    const p = passes();
    const backfill = new SimilarRunsBackfill({ compute: p.compute, batchSize: 10 });
    backfill.request('a');
    await tick();
    for (const id of ['b', 'c', 'b', 'a', 'd']) backfill.request(id);
    expect(p.calls.map((c) => c.request.ids)).toEqual([['a']]);
    p.calls[0]!.settle();
    await tick();
    expect(p.calls.map((c) => c.request.ids)).toEqual([['a'], ['b', 'c', 'd']]);
    p.calls[1]!.settle();
    await backfill.idle();
    expect(p.mostAtOnce()).toBe(1);
  });

  it('when more runs wait than a batch holds, then passes take them a batch at a time', async () => {
    const p = passes();
    const backfill = new SimilarRunsBackfill({ compute: p.compute, batchSize: 2 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) backfill.request(id);
    for (let i = 0; i < 3; i += 1) {
      await tick();
      p.calls[i]!.settle();
    }
    await backfill.idle();
    expect(p.calls.map((c) => c.request.ids)).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
  });

  it('when the queue is full, then further runs are dropped and reported, not kept', async () => {
    const p = passes();
    const dropped: string[] = [];
    const backfill = new SimilarRunsBackfill({ compute: p.compute, maxPending: 2, onDropped: (id) => dropped.push(id) });
    backfill.request('a'); // taken by the first pass at once
    await tick();
    for (const id of ['b', 'c', 'd', 'e']) backfill.request(id);
    expect(backfill.size()).toBe(2);
    expect(dropped).toEqual(['d', 'e']);
    p.calls[0]!.settle();
    await tick();
    p.calls[1]!.settle();
    await backfill.idle();
  });

  it('when a pass fails, then its runs are tried again after the wait, and given up after the last attempt', async () => {
    const p = passes();
    const failed: unknown[] = [];
    const backfill = new SimilarRunsBackfill({
      compute: p.compute,
      retryMs: 1,
      maxAttempts: 2,
      onPass: (pass) => pass.status === 'failed' && failed.push(pass.err),
    });
    backfill.request('a');
    await tick();
    p.calls[0]!.settle(new Error('disk full'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(p.calls[1]!.request).toEqual({ ids: ['a'], sweep: false });
    p.calls[1]!.settle(new Error('disk full'));
    await backfill.idle();
    expect(p.calls).toHaveLength(2);
    expect(failed).toHaveLength(2);
    expect(backfill.size()).toBe(0);
  });

  it('when closed, then the running pass is told to stop and nothing is queued any more', async () => {
    const p = passes();
    const backfill = new SimilarRunsBackfill({ compute: p.compute });
    backfill.request('a');
    await tick();
    await backfill.close();
    expect(p.calls[0]!.signal.aborted).toBe(true);
    backfill.request('b');
    backfill.sweep();
    await tick();
    expect(p.calls).toHaveLength(1);
  });
});
