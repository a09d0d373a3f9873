import { describe, expect, it } from 'vitest';
import { type OpenedStore, withFreshStore } from '../../test-support/contract.js';
import type { JobLeaseStore } from './job-lease.store.js';

const T0 = Date.parse('2026-11-27T03:00:00Z');
const TTL = 60_000;

/** The behaviour every JobLeaseStore adapter shares. */
export function describeJobLeaseStoreContract(name: string, open: () => Promise<OpenedStore<JobLeaseStore>>): void {
  describe(`JobLeaseStore contract: ${name}`, () => {
    const withStore = withFreshStore(open);

    it(
      'when one holder has the lease, then another cannot take it until it expires or is released',
      withStore(async (store) => {
        expect(await store.tryAcquire('popular', 'a', T0, TTL)).toBe(true);
        expect(await store.tryAcquire('popular', 'b', T0 + 1, TTL)).toBe(false);
        expect(await store.tryAcquire('recommend', 'b', T0 + 1, TTL)).toBe(true);
        expect(await store.tryAcquire('popular', 'b', T0 + TTL, TTL)).toBe(true);
        expect(await store.renew('popular', 'a', T0 + TTL + 1, TTL)).toBe(false);
        await store.release('popular', 'b', T0 + TTL + 2);
        expect(await store.tryAcquire('popular', 'a', T0 + TTL + 3, TTL)).toBe(true);
      }),
    );

    it(
      'when a run finishes, then its time and summary are remembered and the lease is free',
      withStore(async (store) => {
        expect(await store.get('popular')).toBeUndefined();
        await store.tryAcquire('popular', 'a', T0, TTL);
        expect(await store.renew('popular', 'a', T0 + 10, TTL)).toBe(true);
        await store.release('popular', 'a', T0 + 20, '{"events":3}');
        expect(await store.get('popular')).toEqual({
          holder: null,
          expiresAt: 0,
          lastStartedAt: T0,
          lastFinishedAt: T0 + 20,
          lastSummary: '{"events":3}',
        });
      }),
    );

    it(
      'when many holders race for a free lease, then exactly one wins',
      withStore(async (store) => {
        const wins = await Promise.all(Array.from({ length: 8 }, (_, i) => store.tryAcquire('race', `h${i}`, T0, TTL)));
        expect(wins.filter(Boolean)).toHaveLength(1);
      }),
    );
  });
}
