import { describe, expect, it } from 'vitest';
import { type OpenedStore, withFreshStore } from '../../test-support/contract.js';
import { NO_COUNTS, type KopisSyncStore } from './kopis-sync.store.js';

const AT = new Date('2026-11-25T01:00:00Z');
const link = {
  mt20id: 'PF1',
  performanceId: 'ab0000000000000000000001',
  duplicatekey: '공연2026.12.01',
  listHash: 'h1',
  recordHash: 'r1',
  syncId: 's1',
};

/** The behaviour every KopisSyncStore adapter shares. */
export function describeKopisSyncStoreContract(name: string, open: () => Promise<OpenedStore<KopisSyncStore>>): void {
  describe(`KopisSyncStore contract: ${name}`, () => {
    const withStore = withFreshStore(open);

    it(
      'when a run is staged, then its link is kept and its run waits until it is written; a later stage without a run keeps it waiting',
      withStore(async (store) => {
        await store.stage({ ...link, pending: '{"run":1}', at: AT });
        await store.stage({ ...link, listHash: 'h2', pending: null, syncId: 's2', at: AT });
        expect((await store.links(['PF1', 'PF2'])).get('PF1')).toEqual({ ...link, listHash: 'h2', syncId: 's2' });
        expect(await store.pending(10)).toEqual([{ mt20id: 'PF1', run: '{"run":1}' }]);
        await store.written(['PF1']);
        expect(await store.pending(10)).toEqual([]);
      }),
    );

    it(
      'when a sync starts, advances and finishes, then it is open until finished and then the last finished of its scope',
      withStore(async (store) => {
        const sync = { id: 's1', scope: 'all', plan: '{}', nextStep: 0, nextPage: 1, counts: NO_COUNTS, startedAt: AT, finishedAt: undefined };
        await store.startSync(sync);
        await store.advance('s1', 2, 3, { ...NO_COUNTS, fetched: 7 });
        expect(await store.openSync()).toEqual({ ...sync, nextStep: 2, nextPage: 3, counts: { ...NO_COUNTS, fetched: 7 } });
        expect(await store.lastFinished('all')).toBeUndefined();
        const end = new Date(AT.getTime() + 60_000);
        await store.finish('s1', end, { ...NO_COUNTS, fetched: 8 });
        expect(await store.openSync()).toBeUndefined();
        expect((await store.lastFinished('all'))?.finishedAt).toEqual(end);
        expect(await store.lastFinished('11')).toBeUndefined();
        await store.startSync({ ...sync, id: 's2' });
        await store.abandon('s2');
        expect(await store.openSync()).toBeUndefined();
      }),
    );

    it(
      "when processes race for a day's last calls, then no more than the budget are taken",
      withStore(async (store) => {
        const taken = await Promise.all(Array.from({ length: 12 }, () => store.takeCall('2026.11.25', 5)));
        expect(taken.filter(Boolean)).toHaveLength(5);
        expect(await store.callsOn('2026.11.25')).toBe(5);
        expect(await store.takeCall('2026.11.26', 5)).toBe(true);
      }),
    );

    it(
      'when a record fails, then it is set aside with its reason and item; each later sync that fails it adds one attempt, the same sync none',
      withStore(async (store) => {
        const later = new Date(AT.getTime() + 86_400_000);
        expect(await store.recordProblem({ mt20id: 'PF1', reason: 'bomb', item: '{"mt20id":"PF1"}', syncId: 's1', at: AT })).toBe(1);
        expect(await store.recordProblem({ mt20id: 'PF1', reason: 'bomb again', item: '{"mt20id":"PF1"}', syncId: 's1', at: AT })).toBe(1);
        expect(await store.recordProblem({ mt20id: 'PF1', reason: 'still a bomb', item: '{"mt20id":"PF1","v":2}', syncId: 's2', at: later })).toBe(2);
        expect(await store.problemsToRetry('s3', 5, 10)).toEqual([
          { mt20id: 'PF1', reason: 'still a bomb', item: '{"mt20id":"PF1","v":2}', attempts: 2, firstSeen: AT, lastSeen: later, syncId: 's2' },
        ]);
        // not retried by the sync that tried it last, nor once the attempts reach the cap
        expect(await store.problemsToRetry('s2', 5, 10)).toEqual([]);
        expect(await store.problemsToRetry('s3', 2, 10)).toEqual([]);
        expect(await store.problemCounts(5)).toEqual({ open: 1, givenUp: 0 });
        expect(await store.problemCounts(2)).toEqual({ open: 0, givenUp: 1 });
      }),
    );

    it(
      'when problems wait, then the least recently tried come first, up to the limit, and a cleared one is gone',
      withStore(async (store) => {
        const at = (h: number) => new Date(AT.getTime() + h * 3_600_000);
        await store.recordProblem({ mt20id: 'PF3', reason: 'r', item: '{}', syncId: 's1', at: at(3) });
        await store.recordProblem({ mt20id: 'PF1', reason: 'r', item: '{}', syncId: 's1', at: at(1) });
        await store.recordProblem({ mt20id: 'PF2', reason: 'r', item: '{}', syncId: 's1', at: at(2) });
        expect((await store.problemsToRetry('s9', 5, 2)).map((p) => p.mt20id)).toEqual(['PF1', 'PF2']);
        await store.clearProblem('PF1');
        await store.clearProblem('PF404');
        expect((await store.problemsToRetry('s9', 5, 10)).map((p) => p.mt20id)).toEqual(['PF2', 'PF3']);
        expect(await store.problemCounts(5)).toEqual({ open: 2, givenUp: 0 });
        await Promise.all(['PF2', 'PF3'].map((id) => store.clearProblem(id)));
        expect(await store.problemCounts(5)).toEqual({ open: 0, givenUp: 0 });
      }),
    );
  });
}
