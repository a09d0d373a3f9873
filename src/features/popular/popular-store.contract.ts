import { describe, expect, it } from 'vitest';
import { type OpenedStore, withFreshStore } from '../../test-support/contract.js';
import type { PopularStore } from './popular.store.js';

const AT = new Date('2026-11-27T03:00:00Z');

/** The behaviour every PopularStore adapter shares; each adapter's test calls this. */
export function describePopularStoreContract(name: string, open: () => Promise<OpenedStore<PopularStore>>): void {
  describe(`PopularStore contract: ${name}`, () => {
    const withStore = withFreshStore(open);

    it(
      'when no ranking was computed, then the window is empty',
      withStore(async (store) => {
        expect(await store.ranking('all')).toEqual([]);
      }),
    );

    it(
      'when a ranking is stored, then it reads back in the given order with its view counts',
      withStore(async (store) => {
        const rows = [
          { ticket_id: 'r1', views: 9_000_000_000 },
          { ticket_id: 'r2', views: 12 },
          { ticket_id: 'r3', views: 12 },
        ];
        await store.replaceRanking('all', rows, AT);
        expect(await store.ranking('all')).toEqual(rows);
      }),
    );

    it(
      'when a window is replaced, then its old rows are gone and other windows are untouched',
      withStore(async (store) => {
        await store.replaceRanking(
          'all',
          [
            { ticket_id: 'a', views: 3 },
            { ticket_id: 'b', views: 2 },
          ],
          AT,
        );
        await store.replaceRanking('7d', [{ ticket_id: 'w', views: 1 }], AT);
        await store.replaceRanking('all', [{ ticket_id: 'c', views: 5 }], AT);
        expect(await store.ranking('all')).toEqual([{ ticket_id: 'c', views: 5 }]);
        expect(await store.ranking('7d')).toEqual([{ ticket_id: 'w', views: 1 }]);
        await store.replaceRanking('all', [], AT);
        expect(await store.ranking('all')).toEqual([]);
      }),
    );
  });
}
