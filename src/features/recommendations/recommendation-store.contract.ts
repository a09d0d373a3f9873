import { describe, expect, it } from 'vitest';
import { type OpenedStore, withFreshStore } from '../../test-support/contract.js';
import type { RecommendationStore } from './recommendation.store.js';

const AT = new Date('2026-11-27T03:00:00Z');

/** The behaviour every RecommendationStore adapter shares; each adapter's test calls this. */
export function describeRecommendationStoreContract(name: string, open: () => Promise<OpenedStore<RecommendationStore>>): void {
  describe(`RecommendationStore contract: ${name}`, () => {
    const withStore = withFreshStore(open);

    it(
      'when nothing was computed for a run, then its list is undefined, while an empty list stays empty',
      withStore(async (store) => {
        expect(await store.get('p1')).toBeUndefined();
        await store.putMany([{ performance_id: 'p1', similar_ids: [] }], AT);
        expect(await store.get('p1')).toEqual([]);
      }),
    );

    it(
      'when lists are stored, then each reads back in its order and a later put replaces it',
      withStore(async (store) => {
        await store.putMany(
          [
            { performance_id: 'p1', similar_ids: ['c', 'a', 'b'] },
            { performance_id: 'p2', similar_ids: ['x'] },
          ],
          AT,
        );
        expect(await store.get('p1')).toEqual(['c', 'a', 'b']);
        await store.putMany([{ performance_id: 'p1', similar_ids: ['z'] }], AT);
        expect(await store.get('p1')).toEqual(['z']);
        expect(await store.get('p2')).toEqual(['x']);
      }),
    );

    it(
      'when a batch names a run twice, then the later list wins',
      withStore(async (store) => {
        await store.putMany(
          [
            { performance_id: 'p1', similar_ids: ['first'] },
            { performance_id: 'p1', similar_ids: ['second', 'third'] },
          ],
          AT,
        );
        expect(await store.get('p1')).toEqual(['second', 'third']);
      }),
    );

    it(
      'when thousands of lists are stored at once, then every one is kept',
      withStore(async (store) => {
        const entries = Array.from({ length: 2500 }, (_, i) => ({
          performance_id: `p${i}`,
          similar_ids: Array.from({ length: i % 4 }, (_, j) => `s${i}-${j}`),
        }));
        await store.putMany(entries, AT);
        expect(await store.get('p0')).toEqual([]);
        expect(await store.get('p2499')).toEqual(['s2499-0', 's2499-1', 's2499-2']);
      }),
    );

    it(
      'when asked which runs lack a list, then runs never computed come back in the given order, and an empty list counts as computed',
      withStore(async (store) => {
        expect(await store.missingAmong([])).toEqual([]);
        await store.putMany(
          [
            { performance_id: 'p1', similar_ids: ['x'] },
            { performance_id: 'p3', similar_ids: [] },
          ],
          AT,
        );
        expect(await store.missingAmong(['p4', 'p1', 'p2', 'p3'])).toEqual(['p4', 'p2']);
        const many = Array.from({ length: 5000 }, (_, i) => `q${i}`);
        expect(await store.missingAmong([...many, 'p1'])).toEqual(many);
      }),
    );
  });
}
