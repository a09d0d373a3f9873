import { describe, expect, it } from 'vitest';
import type { AccountStore, NewSession, UserRecord } from '../features/accounts/account.store.js';
import type { RateLimitStore } from '../features/accounts/rate-limit.store.js';

const T0 = new Date('2026-11-27T03:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

export function user(id: string, overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id,
    kind: 'local',
    username: id,
    passwordHash: '$argon2id$test',
    email: null,
    phoneNumber: null,
    gender: 'M',
    birthday: '1990-01-01',
    agreeMarketing: false,
    userType: 0,
    profileImage: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

function session(id: string, userId: string, overrides: Partial<NewSession> = {}): NewSession {
  return { id, userId, refreshJti: `${id}-r1`, createdAt: T0, refreshedAt: T0, expiresAt: at(86_400_000), kakao: null, ...overrides };
}

/** Behaviour every AccountStore adapter must share (SQLite and PostgreSQL). */
export function accountStoreContract(name: string, open: () => Promise<{ store: AccountStore; close(): Promise<void> }>) {
  describe(`AccountStore contract: ${name}`, () => {
    const withStore = (fn: (s: AccountStore) => Promise<void>) => async () => {
      const { store, close } = await open();
      try {
        await fn(store);
      } finally {
        await close();
      }
    };

    it(
      'when an id is inserted twice, then the second insert is refused and the first kept',
      withStore(async (s) => {
        expect(await s.insertUser(user('alice1', { username: 'first' }))).toBe(true);
        expect(await s.insertUser(user('alice1', { username: 'second' }))).toBe(false);
        expect((await s.findUser('alice1'))?.username).toBe('first');
        expect(await s.findUser('ALICE1')).toBeUndefined();
      }),
    );

    const refresh = (s: AccountStore, id: string, presentedJti: string, nextJti: string, ms: number, graceMs = 10_000) =>
      s.refreshSession({ id, presentedJti, nextJti, at: at(ms), expiresAt: at(ms + 86_400_000), graceMs });

    it(
      'when the refresh is rotated, then the current jti moves it; the retired one gets the current pair within the grace window, and ends the session after it',
      withStore(async (s) => {
        await s.insertUser(user('bob1'));
        await s.createSession(session('s1', 'bob1'));
        expect(await refresh(s, 's1', 's1-r1', 's1-r2', 1000)).toEqual({ status: 'rotated', refreshJti: 's1-r2', expiresAt: at(86_401_000) });
        // A concurrent request with the same token: the pair the first one got, nothing moves.
        expect(await refresh(s, 's1', 's1-r1', 's1-r3', 10_999)).toEqual({ status: 'grace', refreshJti: 's1-r2', expiresAt: at(86_401_000) });
        expect((await s.findSession('s1'))?.refreshJti).toBe('s1-r2');
        // After the window, the retired token means a leaked copy: the session ends.
        expect(await refresh(s, 's1', 's1-r1', 's1-r4', 11_000)).toEqual({ status: 'reused' });
        expect(await s.findSession('s1')).toMatchObject({ revokedReason: 'refresh_reuse', revokedAt: at(11_000) });
        await s.revokeSession('s1', 'logout', at(12_000));
        expect(await s.findSession('s1')).toMatchObject({ revokedReason: 'refresh_reuse', revokedAt: at(11_000) });
        expect(await refresh(s, 's1', 's1-r2', 's1-r5', 13_000)).toEqual({ status: 'ended' });
        expect(await refresh(s, 'nope', 'x', 'y', 13_000)).toEqual({ status: 'ended' });
      }),
    );

    it(
      'when a token two rotations old comes back, even within the grace window, then the session ends',
      withStore(async (s) => {
        await s.insertUser(user('bob2'));
        await s.createSession(session('s3', 'bob2'));
        expect((await refresh(s, 's3', 's3-r1', 's3-r2', 1000)).status).toBe('rotated');
        expect((await refresh(s, 's3', 's3-r2', 's3-r3', 2000)).status).toBe('rotated');
        expect(await refresh(s, 's3', 's3-r1', 's3-r4', 3000)).toEqual({ status: 'reused' });
        expect((await s.findSession('s3'))?.revokedReason).toBe('refresh_reuse');
      }),
    );

    it(
      'when the grace window is 0, then any retired token ends the session',
      withStore(async (s) => {
        await s.insertUser(user('bob3'));
        await s.createSession(session('s4', 'bob3'));
        expect((await refresh(s, 's4', 's4-r1', 's4-r2', 1000, 0)).status).toBe('rotated');
        expect(await refresh(s, 's4', 's4-r1', 's4-r3', 1000, 0)).toEqual({ status: 'reused' });
      }),
    );

    it(
      'when many requests present the same token at once, then exactly one rotates and the others get its jti',
      withStore(async (s) => {
        await s.insertUser(user('erin1'));
        await s.createSession(session('s5', 'erin1'));
        const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => refresh(s, 's5', 's5-r1', `s5-n${i}`, 1000)));
        const rotated = outcomes.filter((o) => o.status === 'rotated');
        expect(rotated).toHaveLength(1);
        const winner = (rotated[0] as { refreshJti: string }).refreshJti;
        expect(outcomes.filter((o) => o.status === 'grace')).toHaveLength(9);
        for (const o of outcomes) expect(o).toMatchObject({ refreshJti: winner });
        expect(await s.findSession('s5')).toMatchObject({ refreshJti: winner, revokedAt: null });
      }),
    );

    it(
      'when a session has expired, then it cannot be refreshed and pruning removes it',
      withStore(async (s) => {
        await s.insertUser(user('carol1'));
        await s.createSession(session('s2', 'carol1', { expiresAt: at(1000) }));
        expect(await refresh(s, 's2', 's2-r1', 's2-r2', 2000)).toEqual({ status: 'ended' });
        expect(await s.pruneSessions(at(5000))).toBe(1);
        expect(await s.findSession('s2')).toBeUndefined();
      }),
    );

    it(
      'when a Kakao user logs in again, then the profile updates and user_type and Kakao tokens per session are kept',
      withStore(async (s) => {
        const k = user('kakao:1', { kind: 'kakao', passwordHash: null, username: 'old', gender: null, birthday: null });
        await s.saveKakaoLogin(k, session('k1', 'kakao:1', { kakao: { accessToken: 'at1', refreshToken: 'rt1' } }));
        await s.setUserType('kakao:1', 1, at(1000));
        const again = await s.saveKakaoLogin(
          { ...k, username: 'new' },
          session('k2', 'kakao:1', { kakao: { accessToken: 'at2', refreshToken: null } }),
        );
        expect(again).toMatchObject({ username: 'new', userType: 1 });
        expect((await s.findSession('k1'))?.kakao).toEqual({ accessToken: 'at1', refreshToken: 'rt1' });
        expect((await s.findSession('k2'))?.kakao).toEqual({ accessToken: 'at2', refreshToken: null });
      }),
    );

    it(
      'when a session ends or a user type changes, then one auth change is recorded, after the last seq, and only once',
      withStore(async (s) => {
        await s.insertUser(user('frank1'));
        await s.createSession(session('f1', 'frank1'));
        await s.createSession(session('f2', 'frank1'));
        const start = await s.lastAuthChange();
        await s.revokeSession('f1', 'logout', at(1000));
        await s.revokeSession('f1', 'kakao_logout', at(2000));
        expect(await s.setUserType('frank1', 1, at(3000))).toBe(true);
        expect(await s.setUserType('nobody1', 1, at(3000))).toBe(false);
        // a retired refresh token presented after the grace window ends the session
        await refresh(s, 'f2', 'f2-r1', 'f2-r2', 4000);
        expect(await refresh(s, 'f2', 'f2-r1', 'f2-r3', 60_000)).toEqual({ status: 'reused' });
        const changes = await s.authChangesAfter(start, 10);
        expect(changes.map(({ sessionId, userId }) => ({ sessionId, userId }))).toEqual([
          { sessionId: 'f1', userId: 'frank1' },
          { sessionId: null, userId: 'frank1' },
          { sessionId: 'f2', userId: 'frank1' },
        ]);
        expect(changes.map((c) => c.seq)).toEqual([...changes.map((c) => c.seq)].sort((x, y) => x - y));
        expect(await s.lastAuthChange()).toBe(changes[2]!.seq);
        expect(await s.authChangesAfter(changes[0]!.seq, 1)).toEqual([changes[1]]);
        await s.pruneSessions(at(86_400_000 * 2));
        expect(await s.authChangesAfter(start, 10)).toEqual([]);
      }),
    );

    it(
      'when the session insert fails, then the Kakao user is not created either',
      withStore(async (s) => {
        await s.insertUser(user('dave1'));
        await s.createSession(session('dup', 'dave1'));
        const k = user('kakao:2', { kind: 'kakao', passwordHash: null });
        await expect(s.saveKakaoLogin(k, session('dup', 'kakao:2'))).rejects.toThrow();
        expect(await s.findUser('kakao:2')).toBeUndefined();
      }),
    );
  });
}

/** Behaviour every RateLimitStore adapter must share. */
export function rateLimitStoreContract(name: string, open: () => Promise<{ store: RateLimitStore; close(): Promise<void> }>) {
  describe(`RateLimitStore contract: ${name}`, () => {
    const withStore = (fn: (s: RateLimitStore) => Promise<void>) => async () => {
      const { store, close } = await open();
      try {
        await fn(store);
      } finally {
        await close();
      }
    };

    it(
      'when hits fall in one window, then they add up; after the window they start over',
      withStore(async (store) => {
        expect((await store.hit('k', 60_000, at(0))).count).toBe(1);
        expect(await store.hit('k', 60_000, at(30_000))).toEqual({ count: 2, resetAt: at(60_000) });
        expect((await store.peek('k', 60_000, at(59_000))).count).toBe(2);
        expect((await store.peek('k', 60_000, at(60_000))).count).toBe(0);
        expect(await store.hit('k', 60_000, at(60_000))).toEqual({ count: 1, resetAt: at(120_000) });
        expect((await store.peek('other', 60_000, at(60_000))).count).toBe(0);
        await store.clear('k');
        expect((await store.peek('k', 60_000, at(61_000))).count).toBe(0);
        await store.hit('old', 1000, at(0));
        expect(await store.prune(at(1))).toBe(1);
      }),
    );

    it(
      'when a reservation would pass one limit, then nothing is counted and the full window says when to retry',
      withStore(async (store) => {
        const slots = [
          { key: 'a', limit: 2, windowMs: 60_000 },
          { key: 'b', limit: 5, windowMs: 60_000 },
        ];
        expect(await store.reserve(slots, at(0))).toEqual({ ok: true });
        expect(await store.reserve(slots, at(10_000))).toEqual({ ok: true });
        expect(await store.reserve(slots, at(20_000))).toEqual({ ok: false, blocked: { count: 3, resetAt: at(60_000) } });
        expect((await store.peek('a', 60_000, at(20_000))).count).toBe(2);
        expect((await store.peek('b', 60_000, at(20_000))).count).toBe(2);
        // another key set sharing `b` still fits
        expect(await store.reserve([{ key: 'c', limit: 1, windowMs: 60_000 }, slots[1]!], at(20_000))).toEqual({ ok: true });
        expect(await store.reserve(slots, at(60_000))).toEqual({ ok: true });
      }),
    );

    it(
      'when 30 reservations race for a limit of 5, then exactly 5 are counted',
      withStore(async (store) => {
        const slots = [
          { key: 'idc', limit: 5, windowMs: 60_000 },
          { key: 'id', limit: 100, windowMs: 60_000 },
        ];
        const results = await Promise.all(Array.from({ length: 30 }, () => store.reserve(slots, at(0))));
        expect(results.filter((r) => r.ok)).toHaveLength(5);
        expect((await store.peek('idc', 60_000, at(1))).count).toBe(5);
        expect((await store.peek('id', 60_000, at(1))).count).toBe(5);
      }),
    );

    it(
      'when a reservation is released, then one hit is taken back, never below zero',
      withStore(async (store) => {
        const slots = [{ key: 'r', limit: 1, windowMs: 60_000 }];
        expect((await store.reserve(slots, at(0))).ok).toBe(true);
        expect((await store.reserve(slots, at(0))).ok).toBe(false);
        await store.release(['r', 'missing']);
        expect((await store.reserve(slots, at(0))).ok).toBe(true);
        await store.release(['r']);
        await store.release(['r']);
        expect((await store.peek('r', 60_000, at(1))).count).toBe(0);
      }),
    );
  });
}
