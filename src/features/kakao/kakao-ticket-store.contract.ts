import { describe, expect, it } from 'vitest';
import { type OpenedStore, withFreshStore } from '../../test-support/contract.js';
import type { KakaoTicketStore } from './kakao-ticket.store.js';

const T0 = new Date('2026-11-27T03:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const HASH = 'a'.repeat(64);

/** The behaviour every KakaoTicketStore adapter shares (SQLite and PostgreSQL). */
export function describeKakaoTicketStoreContract(name: string, open: () => Promise<OpenedStore<KakaoTicketStore>>): void {
  describe(`KakaoTicketStore contract: ${name}`, () => {
    const withStore = withFreshStore(open);

    it(
      'when a ticket is taken, then it comes back once with its payload and expiry, and never again',
      withStore(async (store) => {
        await store.insert(HASH, { payload: 'sealed-1', expiresAt: at(60_000) }, T0);
        await store.insert('b'.repeat(64), { payload: 'sealed-2', expiresAt: at(60_000) }, T0);
        expect(await store.take('c'.repeat(64))).toBeUndefined();
        expect(await store.take(HASH)).toEqual({ payload: 'sealed-1', expiresAt: at(60_000) });
        expect(await store.take(HASH)).toBeUndefined();
        expect((await store.take('b'.repeat(64)))?.payload).toBe('sealed-2');
      }),
    );

    it(
      'when one hash is inserted twice, then the second insert fails and the first ticket is kept',
      withStore(async (store) => {
        await store.insert(HASH, { payload: 'first', expiresAt: at(60_000) }, T0);
        await expect(store.insert(HASH, { payload: 'second', expiresAt: at(60_000) }, T0)).rejects.toThrow();
        expect((await store.take(HASH))?.payload).toBe('first');
      }),
    );

    it(
      'when many takes of one ticket race, then exactly one gets it',
      withStore(async (store) => {
        const racers = () => Array.from({ length: 8 }, () => store.take(HASH));
        // Warm every connection first, so that the takes below really run side by side.
        await Promise.all(racers());
        await store.insert(HASH, { payload: 'sealed', expiresAt: at(60_000) }, T0);
        const results = await Promise.all(racers());
        expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      }),
    );

    it(
      'when tickets expire, then take still returns them (the caller refuses them) and pruning removes only those expired before the cut-off',
      withStore(async (store) => {
        await store.insert('1'.repeat(64), { payload: 'old', expiresAt: at(1_000) }, T0);
        await store.insert('2'.repeat(64), { payload: 'older', expiresAt: at(500) }, T0);
        await store.insert('3'.repeat(64), { payload: 'live', expiresAt: at(60_000) }, T0);
        expect(await store.take('2'.repeat(64))).toEqual({ payload: 'older', expiresAt: at(500) });
        await store.insert('2'.repeat(64), { payload: 'older', expiresAt: at(500) }, T0);
        expect(await store.prune(at(1_000))).toBe(1);
        expect(await store.take('2'.repeat(64))).toBeUndefined();
        expect(await store.prune(at(2_000))).toBe(1);
        expect(await store.take('1'.repeat(64))).toBeUndefined();
        expect((await store.take('3'.repeat(64)))?.payload).toBe('live');
      }),
    );
  });
}
