import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { recordingEvents } from '../../test-support/recording-events.js';
import type { PerformanceSummary } from '../catalog/index.js';
import type { LikeChangeListener, LikeRecord, LikeStore } from './like.store.js';
import { LikesService } from './likes.service.js';

const RUN = 'cccccccccccccccccccc0001';
const OTHER = 'cccccccccccccccccccc0002';
const ACTOR = { user_id: 'u1', device: 'test' };

const summary = (id: string): PerformanceSummary => ({
  id,
  title: `공연 ${id.slice(-1)}`,
  category: '콘서트',
  location: null,
  region: null,
  poster_url: '/posters/x',
  start_date: '2026.12.01',
  end_date: '2026.12.31',
  sites: [1],
  hasTicketUrl: true,
  artistNames: [],
});

/** A store in memory whose reads can be held back, and whose change feed the test drives. */
function fakeStore() {
  const rows = new Map<string, LikeRecord[]>();
  let listener: LikeChangeListener | undefined;
  let gate: Promise<void> | undefined;
  let reads = 0;
  const store: LikeStore = {
    like: async (u, r, at) => {
      const list = rows.get(u) ?? [];
      if (list.some((l) => l.runId === r)) return false;
      rows.set(u, [...list, { runId: r, likedAt: at }]);
      return true;
    },
    unlike: async (u, r) => {
      const list = rows.get(u) ?? [];
      rows.set(
        u,
        list.filter((l) => l.runId !== r),
      );
      return list.some((l) => l.runId === r);
    },
    list: async (u) => {
      reads += 1;
      const snapshot = [...(rows.get(u) ?? [])];
      await gate;
      return snapshot;
    },
    watch: async (l) => {
      listener = l;
      return { close: async () => void (listener = undefined) };
    },
  };
  return {
    store,
    rows,
    feed: () => listener,
    reads: () => reads,
    hold: () => {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

function service(fake: ReturnType<typeof fakeStore>, cacheMax?: number) {
  const events = recordingEvents();
  const likes = new LikesService({
    store: fake.store,
    catalog: { summaryOf: (id) => (id === RUN || id === OTHER ? summary(id) : undefined), today: () => '2026.11.27' },
    documents: { findByIds: async () => [] },
    clock: fixedClock('2026-11-27T01:00:00Z'),
    events,
    posterUrl: (r) => `https://moa.example${r.poster_url}`,
    ...(cacheMax === undefined ? {} : { cacheMax }),
  });
  return { likes, events };
}

/** Lets the watch start (it begins with the first likedIds call). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('LikesService liked-id sets', () => {
  it('when the change feed is not watching yet, then every call reads the store; once it is, sets are cached', async () => {
    const fake = fakeStore();
    const { likes } = service(fake);
    await likes.likedIds('u1');
    await settle();
    expect(fake.feed()).toBeDefined();
    const first = await likes.likedIds('u1');
    expect(await likes.likedIds('u1')).toBe(first);
    expect(fake.reads()).toBe(2);
    await likes.close();
    expect(fake.feed()).toBeUndefined();
  });

  it('when the user likes through this instance, then the next set has it, and a read that started before is not cached', async () => {
    const fake = fakeStore();
    const { likes } = service(fake);
    await likes.likedIds('u1');
    await settle();
    const release = fake.hold();
    const stale = likes.likedIds('u1');
    await likes.like('u1', RUN, ACTOR);
    release();
    expect((await stale).has(RUN)).toBe(false);
    const fresh = await likes.likedIds('u1');
    expect([...fresh]).toEqual([RUN]);
    expect(await likes.likedIds('u1')).toBe(fresh);
    await likes.close();
  });

  it('when the feed reports a change of one user, then only that user’s set is read again; a resync drops them all', async () => {
    const fake = fakeStore();
    const { likes } = service(fake);
    await likes.likedIds('u1');
    await settle();
    const [u1, u2] = [await likes.likedIds('u1'), await likes.likedIds('u2')];
    fake.rows.set('u1', [{ runId: RUN, likedAt: new Date() }]);
    fake.rows.set('u2', [{ runId: OTHER, likedAt: new Date() }]);
    expect(await likes.likedIds('u1')).toBe(u1);
    fake.feed()!.changed('u1');
    expect([...(await likes.likedIds('u1'))]).toEqual([RUN]);
    expect(await likes.likedIds('u2')).toBe(u2);
    expect([...u1]).toEqual([]);
    fake.feed()!.resync();
    expect([...(await likes.likedIds('u2'))]).toEqual([OTHER]);
    await likes.close();
  });

  it('when more users ask than the cache holds, then the least recently used set goes', async () => {
    const fake = fakeStore();
    const { likes } = service(fake, 2);
    await likes.likedIds('u1');
    await settle();
    const a = await likes.likedIds('a');
    await likes.likedIds('b');
    await likes.likedIds('c');
    expect(await likes.likedIds('a')).not.toBe(a);
    await likes.close();
  });
});

describe('LikesService like and unlike', () => {
  it('when a run is liked, then the item has the catalogue’s poster rule and flags, and each call records Like_log', async () => {
    const fake = fakeStore();
    const { likes, events } = service(fake);
    expect(await likes.like('u1', RUN, ACTOR)).toEqual({
      id: RUN,
      title: '공연 1',
      poster_url: 'https://moa.example/posters/x',
      location: null,
      start_date: '2026.12.01',
      end_date: '2026.12.31',
      category: '콘서트',
      onSale: true,
      isExclusive: true,
      is_liked: true,
    });
    await likes.like('u1', RUN, ACTOR);
    await likes.unlike('u1', RUN, ACTOR);
    await likes.unlike('u1', OTHER, ACTOR);
    expect(events.of('Like_log').map((e) => [e.action, e.fields.ticket_id, e.fields.status])).toEqual([
      ['like', RUN, 'changed'],
      ['like', RUN, 'unchanged'],
      ['unlike', RUN, 'changed'],
      ['unlike', OTHER, 'unchanged'],
    ]);
  });

  it('when the id is malformed or unknown, then 422 or 404, and nothing is recorded', async () => {
    const fake = fakeStore();
    const { likes, events } = service(fake);
    await expect(likes.like('u1', 'ABC', ACTOR)).rejects.toMatchObject({ statusCode: 422 });
    await expect(likes.unlike('u1', RUN.toUpperCase(), ACTOR)).rejects.toMatchObject({ statusCode: 422 });
    await expect(likes.like('u1', 'dddddddddddddddddddddddd', ACTOR)).rejects.toMatchObject({ statusCode: 404 });
    await expect(likes.unlike('u1', 'dddddddddddddddddddddddd', ACTOR)).rejects.toMatchObject({ statusCode: 404 });
    expect(events.events).toEqual([]);
  });
});
