import { describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { AuthChangeWatcher } from './auth-changes.js';
import type { AuthChange } from './account.store.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

interface Value {
  sessionId: string;
  userId: string;
  admin: boolean;
}

const T0 = '2026-11-27T03:00:00Z';
const LATER = new Date('2026-11-27T04:00:00Z');

function setup(opts: { max?: number; ttlMs?: number } = {}) {
  const clock = manualClock(T0);
  let mono = 0;
  const timer = { now: () => mono };
  const cache = new VerifiedTokenCache<Value>({ clock, timer, maxStalenessMs: 1000, keysOf: (v) => v, ...opts });
  cache.synced(0);
  const put = (token: string, v: Value, expires = LATER) => cache.set(token, v, expires, cache.begin());
  return { clock, cache, put, tick: (ms: number) => (mono += ms) };
}

const alice = (sessionId = 's1', admin = false): Value => ({ sessionId, userId: 'alice', admin });

describe('verified-token cache', () => {
  it('when a token was checked, then it answers from memory until the TTL passes', () => {
    const { cache, put, clock } = setup({ ttlMs: 30_000 });
    put('t1', alice());
    expect(cache.get('t1')).toEqual(alice());
    clock.advance(29_999);
    expect(cache.get('t1')).toEqual(alice());
    clock.advance(1);
    expect(cache.get('t1')).toBeUndefined();
  });

  it('when the token expires before the TTL, then it is not served past its own expiry', () => {
    const { cache, put, clock } = setup({ ttlMs: 30_000 });
    put('t1', alice(), new Date(Date.parse(T0) + 5_000));
    clock.advance(4_999);
    expect(cache.get('t1')).toBeDefined();
    clock.advance(1);
    expect(cache.get('t1')).toBeUndefined();
  });

  it('when it is full, then the least recently used token goes first', () => {
    const { cache, put } = setup({ max: 2 });
    put('a', alice('sa'));
    put('b', alice('sb'));
    cache.get('a');
    put('c', alice('sc'));
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
  });

  it('when a session ends, then only its tokens are evicted; a user change evicts all of the user’s', () => {
    const { cache, put } = setup();
    put('a1', alice('s1'));
    put('a2', alice('s2'));
    put('b1', { sessionId: 's3', userId: 'bob', admin: false });
    cache.evictSession('s1');
    expect(cache.get('a1')).toBeUndefined();
    expect(cache.get('a2')).toBeDefined();
    cache.evictUser('alice');
    expect(cache.get('a2')).toBeUndefined();
    expect(cache.get('b1')).toBeDefined();
  });

  it('when an eviction happens while a token is being checked, then that check is not cached', () => {
    const { cache } = setup();
    const began = cache.begin();
    cache.evictSession('s1');
    cache.set('a1', alice('s1'), LATER, began);
    expect(cache.get('a1')).toBeUndefined();
  });

  it('when the change feed has not been read for longer than the bound, then nothing is served or stored', () => {
    const { cache, put, tick } = setup();
    put('a1', alice());
    tick(1000);
    expect(cache.get('a1')).toBeUndefined();
    put('a2', alice());
    expect(cache.size).toBe(0);
    cache.synced(1000);
    put('a2', alice());
    expect(cache.get('a2')).toBeDefined();
    cache.unsynced();
    expect(cache.get('a2')).toBeUndefined();
  });
});

describe('auth change watcher', () => {
  function feed() {
    const rows: AuthChange[] = [];
    let fail = false;
    const store = {
      lastAuthChange: async () => {
        if (fail) throw new Error('down');
        return rows.reduce((m, r) => Math.max(m, r.seq), 0);
      },
      authChangesAfter: async (after: number, limit: number) => {
        if (fail) throw new Error('down');
        return rows
          .filter((r) => r.seq > after)
          .sort((a, b) => a.seq - b.seq)
          .slice(0, limit);
      },
    };
    return { rows, store, breakIt: (v: boolean) => (fail = v) };
  }

  it('when another process ends a session, then the next read evicts it, including a change committed out of seq order', async () => {
    const { cache, put } = setup();
    const { rows, store } = feed();
    rows.push({ seq: 1, sessionId: 'old', userId: 'alice' });
    const watcher = new AuthChangeWatcher({ store, target: cache, timer: { now: () => 0 } });
    await watcher.poke();
    put('a1', alice('s1'));
    put('a2', alice('s2'));
    put('a3', alice('s3'));
    rows.push({ seq: 3, sessionId: 's1', userId: 'alice' });
    await watcher.poke();
    expect(cache.get('a1')).toBeUndefined();
    expect(cache.get('a2')).toBeDefined();
    // seq 2 was handed out before 3 but committed after it (PostgreSQL)
    rows.push({ seq: 2, sessionId: 's2', userId: 'alice' });
    await watcher.poke();
    expect(cache.get('a2')).toBeUndefined();
    rows.push({ seq: 4, sessionId: null, userId: 'alice' });
    await watcher.poke();
    expect(cache.get('a3')).toBeUndefined();
  });

  it('when the feed cannot be read, then the cache forgets everything and serves nothing until it can', async () => {
    const { cache, put } = setup();
    const { store, breakIt } = feed();
    const watcher = new AuthChangeWatcher({ store, target: cache, timer: { now: () => 0 }, onError: () => {} });
    await watcher.poke();
    put('a1', alice());
    breakIt(true);
    await watcher.poke();
    expect(cache.get('a1')).toBeUndefined();
    put('a1', alice());
    expect(cache.size).toBe(0);
    breakIt(false);
    await watcher.poke();
    put('a1', alice());
    expect(cache.get('a1')).toBeDefined();
  });
});
