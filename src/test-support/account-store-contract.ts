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

    it(
      'when the refresh is rotated, then only the current jti of a live session moves it',
      withStore(async (s) => {
        await s.insertUser(user('bob1'));
        await s.createSession(session('s1', 'bob1'));
        expect(await s.rotateRefresh('s1', 's1-r1', 's1-r2', at(1000), at(90_000_000))).toBe(true);
        expect(await s.rotateRefresh('s1', 's1-r1', 's1-r3', at(2000), at(90_000_000))).toBe(false);
        expect((await s.findSession('s1'))?.refreshJti).toBe('s1-r2');
        await s.revokeSession('s1', 'refresh_reuse', at(3000));
        await s.revokeSession('s1', 'logout', at(4000));
        expect(await s.findSession('s1')).toMatchObject({ revokedReason: 'refresh_reuse', revokedAt: at(3000) });
        expect(await s.rotateRefresh('s1', 's1-r2', 's1-r4', at(5000), at(90_000_000))).toBe(false);
      }),
    );

    it(
      'when a session has expired, then it cannot be rotated and pruning removes it',
      withStore(async (s) => {
        await s.insertUser(user('carol1'));
        await s.createSession(session('s2', 'carol1', { expiresAt: at(1000) }));
        expect(await s.rotateRefresh('s2', 's2-r1', 's2-r2', at(2000), at(90_000_000))).toBe(false);
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
    it('when hits fall in one window, then they add up; after the window they start over', async () => {
      const { store, close } = await open();
      try {
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
      } finally {
        await close();
      }
    });
  });
}
