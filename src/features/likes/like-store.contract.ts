import { describe, expect, it, vi } from 'vitest';
import type { LikeChangeListener, LikeStore } from './like.store.js';

const T0 = new Date('2026-11-27T03:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const RUN = (n: number) => `a00000000000000000000${n.toString(16).padStart(3, '0')}`;
const WITHIN = { timeout: 5000, interval: 20 };

/** Two stores on one database (two instances), and how to close both. */
export interface OpenedLikeStores {
  store: LikeStore;
  /** Another connection to the same database, as a second instance has. */
  other: LikeStore;
  close: () => Promise<void>;
}

const recorder = () => {
  const changed: string[] = [];
  let resyncs = 0;
  const listener: LikeChangeListener = { changed: (u) => void changed.push(u), resync: () => void (resyncs += 1) };
  return { listener, changed, resyncs: () => resyncs };
};

/** The behaviour every LikeStore adapter shares (SQLite and PostgreSQL). */
export function describeLikeStoreContract(name: string, open: () => Promise<OpenedLikeStores>): void {
  describe(`LikeStore contract: ${name}`, () => {
    const withStores = (fn: (s: OpenedLikeStores) => Promise<void>) => async () => {
      const opened = await open();
      try {
        await fn(opened);
      } finally {
        await opened.close();
      }
    };

    it(
      'when a run is liked twice, then the first like is new, the second changes nothing, and it is listed once',
      withStores(async ({ store }) => {
        expect(await store.like('u1', RUN(1), T0)).toBe(true);
        expect(await store.like('u1', RUN(1), at(5_000))).toBe(false);
        expect(await store.list('u1')).toEqual([{ runId: RUN(1), likedAt: T0 }]);
      }),
    );

    it(
      'when a user likes several runs, then they are listed oldest like first, ties in the order they were made',
      withStores(async ({ store }) => {
        await store.like('u1', RUN(3), at(2_000));
        await store.like('u1', RUN(9), at(1_000));
        await store.like('u1', RUN(1), at(1_000));
        await store.like('u1', RUN(2), at(3_000));
        await store.like('u2', RUN(4), at(0));
        expect((await store.list('u1')).map((l) => l.runId)).toEqual([RUN(9), RUN(1), RUN(3), RUN(2)]);
        expect((await store.list('u2')).map((l) => l.runId)).toEqual([RUN(4)]);
        expect(await store.list('nobody')).toEqual([]);
      }),
    );

    it(
      'when a like is removed, then it is gone for that user only, and removing it again (or one never made) changes nothing',
      withStores(async ({ store }) => {
        await store.like('u1', RUN(1), T0);
        await store.like('u2', RUN(1), T0);
        expect(await store.unlike('u1', RUN(1))).toBe(true);
        expect(await store.unlike('u1', RUN(1))).toBe(false);
        expect(await store.unlike('u1', RUN(7))).toBe(false);
        expect(await store.list('u1')).toEqual([]);
        expect((await store.list('u2')).map((l) => l.runId)).toEqual([RUN(1)]);
        // liked again: a new like, listed after the older ones
        await store.like('u1', RUN(2), at(1_000));
        expect(await store.like('u1', RUN(1), at(2_000))).toBe(true);
        expect((await store.list('u1')).map((l) => l.runId)).toEqual([RUN(2), RUN(1)]);
      }),
    );

    it(
      'when two instances like (or unlike) the same run at once, then exactly one of them changes anything and there is one row',
      withStores(async ({ store, other }) => {
        const likes = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => (i % 2 ? store : other).like('u1', RUN(1), at(i))));
        expect(likes.filter(Boolean)).toHaveLength(1);
        expect(await store.list('u1')).toHaveLength(1);
        const unlikes = await Promise.all([0, 1, 2, 3].map((i) => (i % 2 ? store : other).unlike('u1', RUN(1))));
        expect(unlikes.filter(Boolean)).toHaveLength(1);
        expect(await other.list('u1')).toEqual([]);
      }),
    );

    it(
      'when another instance likes or unlikes, then a watcher hears which user changed, and nothing for writes that changed nothing',
      withStores(async ({ store, other }) => {
        await other.like('before', RUN(1), T0);
        const heard = recorder();
        const watch = await store.watch(heard.listener, (err) => {
          throw err;
        });
        try {
          await other.like('u1', RUN(1), T0);
          await vi.waitFor(() => expect(heard.changed).toEqual(['u1']), WITHIN);
          await other.like('u1', RUN(1), T0);
          await other.unlike('u2', RUN(1));
          await other.unlike('u1', RUN(1));
          await store.like('u3', RUN(2), T0);
          await vi.waitFor(() => expect(heard.changed).toEqual(['u1', 'u1', 'u3']), WITHIN);
          expect(heard.changed).not.toContain('before');
          expect(heard.resyncs()).toBe(0);
        } finally {
          await watch.close();
        }
        await other.like('u4', RUN(1), T0);
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(heard.changed).not.toContain('u4');
      }),
    );
  });
}
