import { describe, expect, it } from 'vitest';
import { makeRun } from '../../test-support/runs.js';
import type { PerformanceStore } from './catalog.store.js';

/** The behaviour every PerformanceStore adapter shares; each adapter's test calls this. */
export function describePerformanceStoreContract(
  name: string,
  open: () => Promise<{ store: PerformanceStore; close: () => Promise<void> }>,
): void {
  describe(`PerformanceStore contract: ${name}`, () => {
    const withStore = (fn: (store: PerformanceStore) => Promise<void>) => async () => {
      const { store, close } = await open();
      try {
        await fn(store);
      } finally {
        await close();
      }
    };

    it(
      'when runs are written, then they are counted, versioned and read back whole',
      withStore(async (store) => {
        const v0 = await store.version();
        const a = makeRun({ title: '뮤지컬 A', start_date: '2026.12.02' });
        const b = makeRun({ title: '연극 B', start_date: '2026.12.01' });
        expect(await store.upsertMany([a, b])).toEqual({ inserted: 2, updated: 0 });
        expect(await store.count()).toBe(2);
        expect(await store.version()).toBeGreaterThan(v0);
        expect((await store.summaries()).map((s) => s.id)).toEqual([b._id, a._id]);
        const doc = JSON.parse((await store.documentJson(a._id))!);
        expect(Object.keys(doc)[0]).toBe('_id');
        expect(doc).toEqual(a);
        expect(await store.documentJson('ffffffffffffffffffffffff')).toBeUndefined();
      }),
    );

    it(
      'when a run is written again, then it is updated, not duplicated',
      withStore(async (store) => {
        const a = makeRun();
        await store.upsertMany([a]);
        expect(await store.upsertMany([{ ...a, location: '블루스퀘어' }])).toEqual({ inserted: 0, updated: 1 });
        expect(await store.count()).toBe(1);
        expect((await store.findByIds([a._id]))[0]!.location).toBe('블루스퀘어');
      }),
    );

    it(
      'finds runs by id and by duplicate key',
      withStore(async (store) => {
        const a = makeRun();
        const b = makeRun();
        await store.upsertMany([a, b]);
        expect((await store.findByIds([b._id, 'ffffffffffffffffffffffff'])).map((r) => r._id)).toEqual([b._id]);
        expect((await store.findByDuplicateKeys([a.duplicatekey])).map((r) => r._id)).toEqual([a._id]);
      }),
    );

    it(
      'when one run of a batch clashes on the duplicate key, then nothing of the batch is written',
      withStore(async (store) => {
        const a = makeRun();
        await store.upsertMany([a]);
        const version = await store.version();
        const fresh = makeRun();
        const clash = makeRun({ duplicatekey: a.duplicatekey });
        await expect(store.upsertMany([fresh, clash])).rejects.toThrow();
        expect(await store.count()).toBe(1);
        expect(await store.findByIds([fresh._id])).toEqual([]);
        expect(await store.version()).toBe(version);
      }),
    );
  });
}
