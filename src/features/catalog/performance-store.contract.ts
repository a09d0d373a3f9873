import { describe, expect, it } from 'vitest';
import { type OpenedStore, withFreshStore } from '../../test-support/contract.js';
import { makeRun } from '../../test-support/runs.js';
import type { PerformanceStore } from './catalog.store.js';

/** The behaviour every PerformanceStore adapter shares; each adapter's test calls this. */
export function describePerformanceStoreContract(name: string, open: () => Promise<OpenedStore<PerformanceStore>>): void {
  describe(`PerformanceStore contract: ${name}`, () => {
    const withStore = withFreshStore(open);

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
      'when the catalogue is read in text batches, then every run comes once, by id, with its text fields',
      withStore(async (store) => {
        const runs = ['c', 'a', 'b', 'e', 'd'].map((last) =>
          makeRun({
            _id: `b0000000000000000000000${last}`,
            description: `설명 ${last}`,
            artist: [
              { artist_name: `가수 ${last}`, artist_url: null },
              { artist_name: null, artist_url: null },
            ],
          }),
        );
        runs.push(makeRun({ _id: 'b0000000000000000000000f', description: null, artist: null, region: null }));
        await store.upsertMany(runs);
        const first = await store.textBatch(undefined, 4);
        const rest = await store.textBatch(first[first.length - 1]!.id, 4);
        expect([...first, ...rest].map((r) => r.id.slice(-1))).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
        expect(first[0]).toEqual({
          id: 'b0000000000000000000000a',
          region: '서울',
          start_date: '2026.12.01',
          end_date: '2026.12.31',
          title: runs[1]!.title,
          category: '콘서트',
          description: '설명 a',
          artistNames: ['가수 a'],
        });
        expect(rest[rest.length - 1]).toMatchObject({ description: null, artistNames: [], region: null });
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
      'when runs share a start date, then summaries order them by title code point, then id',
      withStore(async (store) => {
        const titles = ['가나', 'b', 'B', 'a', 'Z'];
        const runs = titles.map((title) => makeRun({ title, start_date: '2026.12.05' }));
        const twin = makeRun({ _id: 'a00000000000000000000000', title: 'b', duplicatekey: 'b-twin' });
        await store.upsertMany([...runs, { ...twin, start_date: '2026.12.05' }]);
        const order = (await store.summaries()).map((s) => `${s.title}/${s.id === twin._id ? 'twin' : 'run'}`);
        expect(order).toEqual(['B/run', 'Z/run', 'a/run', 'b/twin', 'b/run', '가나/run']);
      }),
    );

    it(
      'when a batch holds the same run twice, then the later copy wins and counts as an update',
      withStore(async (store) => {
        const a = makeRun();
        expect(await store.upsertMany([a, { ...a, location: '세종문화회관' }])).toEqual({ inserted: 1, updated: 1 });
        expect(await store.count()).toBe(1);
        expect(JSON.parse((await store.documentJson(a._id))!).location).toBe('세종문화회관');
      }),
    );

    it(
      'when a large batch clashes only at its end, then none of its thousands of runs is written',
      withStore(async (store) => {
        const a = makeRun();
        await store.upsertMany([a]);
        const many = Array.from({ length: 2500 }, (_, i) => makeRun({ _id: `c${String(i).padStart(23, '0')}` }));
        await expect(store.upsertMany([...many, makeRun({ duplicatekey: a.duplicatekey })])).rejects.toThrow();
        expect(await store.count()).toBe(1);
        expect(await store.upsertMany(many)).toEqual({ inserted: 2500, updated: 0 });
        expect(await store.count()).toBe(2501);
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
