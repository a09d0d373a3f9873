import { describe, expect, it } from 'vitest';
import { type OpenedStore, withFreshStore } from '../../test-support/contract.js';
import type { KakaoStateStore } from './kakao-state.store.js';

const T0 = new Date('2026-11-27T03:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const state = (expiresInMs = 600_000) => ({ bindingHash: 'b'.repeat(64), createdAt: T0, expiresAt: at(expiresInMs) });

/** The behaviour every KakaoStateStore adapter shares (SQLite and PostgreSQL). */
export function describeKakaoStateStoreContract(name: string, open: () => Promise<OpenedStore<KakaoStateStore>>): void {
  describe(`KakaoStateStore contract: ${name}`, () => {
    const withStore = withFreshStore(open);

    it(
      'when a state is used, then the first use counts and every later one is refused',
      withStore(async (store) => {
        expect(await store.use('a'.repeat(64), state(), at(1_000))).toBe(true);
        expect(await store.use('a'.repeat(64), state(), at(2_000))).toBe(false);
        expect(await store.use('c'.repeat(64), state(), at(2_000))).toBe(true);
      }),
    );

    it(
      'when many callbacks race with one state, then exactly one uses it',
      withStore(async (store) => {
        // Warm every connection first, so that the uses below really run side by side.
        await Promise.all(Array.from({ length: 8 }, (_, i) => store.use(String(i).repeat(64), state(), T0)));
        const results = await Promise.all(Array.from({ length: 8 }, () => store.use('f'.repeat(64), state(), at(1))));
        expect(results.filter(Boolean)).toHaveLength(1);
      }),
    );

    it(
      'when states expire, then pruning removes only those expired before the cut-off (and a pruned state counts as new again)',
      withStore(async (store) => {
        await store.use('1'.repeat(64), state(1_000), T0);
        await store.use('2'.repeat(64), state(60_000), T0);
        expect(await store.prune(at(1_000))).toBe(0);
        expect(await store.prune(at(1_001))).toBe(1);
        expect(await store.use('2'.repeat(64), state(60_000), at(2_000))).toBe(false);
        expect(await store.use('1'.repeat(64), state(1_000), at(2_000))).toBe(true);
      }),
    );
  });
}
