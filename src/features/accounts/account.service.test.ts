import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { fixedClock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { recordingEvents } from '../../test-support/recording-events.js';
import { AccountService } from './account.service.js';
import type { AccountStore, UserRecord } from './account.store.js';
import type { PasswordHasher } from './password-hasher.js';
import type { RateLimitStore } from './rate-limit.store.js';
import { AuthThrottle } from './rate-limiter.js';
import type { TokenSigner } from './token-signer.js';

const clock = fixedClock('2026-11-27T03:00:00Z');

/** Counters that never refuse: these tests are about the password check, not the limits. */
const openLimits: RateLimitStore = {
  hit: async (_key, windowMs, now) => ({ count: 1, resetAt: new Date(now.getTime() + windowMs) }),
  peek: async (_key, windowMs, now) => ({ count: 0, resetAt: new Date(now.getTime() + windowMs) }),
  reserve: async () => ({ ok: true }),
  release: async () => {},
  clear: async () => {},
  prune: async () => 0,
};

function serviceWith(hasher: PasswordHasher) {
  const config = loadConfig({}).auth;
  const noUsers = { findUser: async () => undefined } as unknown as AccountStore;
  return new AccountService({
    store: noUsers,
    throttle: new AuthThrottle({ store: openLimits, clock, config }),
    hasher,
    tokens: {} as TokenSigner,
    clock,
    ids: { uuid: () => 'random-password', objectId: () => '0'.repeat(24), secret: (length) => Buffer.alloc(length, 7) },
    events: recordingEvents(),
    config,
  });
}

const statusOf = (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (err: unknown) => (err instanceof AppError ? err.statusCode : 500),
  );

describe('AccountService: the dummy hash for unknown ids', () => {
  it('when making it fails once, then that login fails but the next one tries again (a rejection is not cached)', async () => {
    let calls = 0;
    const hasher: PasswordHasher = {
      hash: async () => {
        calls += 1;
        if (calls === 1) throw new Error('argon2: out of memory');
        return '$argon2id$dummy';
      },
      verify: async () => false,
      needsRehash: () => false,
    };
    const accounts = serviceWith(hasher);
    const ctx = { actor: { user_id: 'anonymous', device: '' }, client: '203.0.113.7' };
    expect(await statusOf(accounts.login('nobody11', 'pw', ctx))).toBe(500);
    expect(await statusOf(accounts.login('nobody11', 'pw', ctx))).toBe(401);
    expect(await statusOf(accounts.login('nobody22', 'pw', ctx))).toBe(401);
    // once made, it is made once
    expect(calls).toBe(2);
  });

  it('when logins for unknown ids arrive together, then they share one hash', async () => {
    let calls = 0;
    const hasher: PasswordHasher = {
      hash: async () => {
        calls += 1;
        return '$argon2id$dummy';
      },
      verify: async () => false,
      needsRehash: () => false,
    };
    const accounts = serviceWith(hasher);
    const ctx = { actor: { user_id: 'anonymous', device: '' }, client: '203.0.113.7' };
    const statuses = await Promise.all(Array.from({ length: 5 }, () => statusOf(accounts.login('nobody11', 'pw', ctx))));
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect(calls).toBe(1);
  });
});

describe('AccountService.createAdmin (ticketmoa create-admin)', () => {
  const hasher: PasswordHasher = {
    hash: async (pw) => `hash:${pw}`,
    verify: async (stored, pw) => stored === `hash:${pw}`,
    needsRehash: () => false,
  };
  /** A store of users in a Map; `racer` is inserted by "another process" right before our insert. */
  function storeWith(racer?: UserRecord) {
    const users = new Map<string, UserRecord>();
    const store = {
      findUser: async (id: string) => users.get(id),
      insertUser: async (u: UserRecord) => {
        if (racer) users.set(racer.id, racer);
        if (users.has(u.id)) return false;
        users.set(u.id, u);
        return true;
      },
      updatePasswordHash: async (id: string, hash: string) => void (users.get(id)!.passwordHash = hash),
      setUserType: async (id: string, type: 0 | 1) => {
        const u = users.get(id);
        if (u) u.userType = type;
        return u !== undefined;
      },
    } as unknown as AccountStore;
    return { users, store };
  }
  function service(store: AccountStore) {
    const config = loadConfig({}).auth;
    return new AccountService({
      store,
      throttle: new AuthThrottle({ store: openLimits, clock, config }),
      hasher,
      tokens: {} as TokenSigner,
      clock,
      ids: { uuid: () => 'u', objectId: () => '0'.repeat(24), secret: (length) => Buffer.alloc(length, 7) },
      events: recordingEvents(),
      config,
    });
  }
  const member = (id: string): UserRecord => ({
    id,
    kind: 'local',
    username: 'member',
    passwordHash: 'hash:own',
    email: null,
    phoneNumber: null,
    gender: 'F',
    birthday: '1995-03-14',
    agreeMarketing: false,
    userType: 0,
    profileImage: null,
    createdAt: clock.now(),
    updatedAt: clock.now(),
  });

  it('when the id is new, then a local admin account is stored with the hashed password and the trimmed name', async () => {
    const { users, store } = storeWith();
    expect(await service(store).createAdmin({ id: 'boss1', username: ' 관리자 ', pw: 'sent' })).toEqual({ status: 'created' });
    expect(users.get('boss1')).toMatchObject({ kind: 'local', username: '관리자', passwordHash: 'hash:sent', userType: 1 });
  });

  it('when a field breaks the signup rules, then nothing is stored and every field is named', async () => {
    const { users, store } = storeWith();
    const outcome = await service(store).createAdmin({ id: '1234', username: '', pw: '' });
    expect(outcome).toEqual({
      status: 'invalid',
      errors: [expect.objectContaining({ field: 'id' }), expect.objectContaining({ field: 'username' }), expect.objectContaining({ field: 'pw' })],
    });
    expect(users.size).toBe(0);
  });

  it('when another process creates the id first, then that account is made an admin and its password kept', async () => {
    const { users, store } = storeWith(member('boss1'));
    expect(await service(store).createAdmin({ id: 'boss1', username: 'boss', pw: 'sent' })).toEqual({ status: 'granted', password: 'differs' });
    expect(users.get('boss1')).toMatchObject({ userType: 1, passwordHash: 'hash:own' });
  });

  it('when the id exists and resetPassword is asked, then the password is set', async () => {
    const { users, store } = storeWith();
    users.set('boss1', member('boss1'));
    expect(await service(store).createAdmin({ id: 'boss1', username: 'boss', pw: 'new' }, { resetPassword: true })).toEqual({
      status: 'granted',
      password: 'reset',
    });
    expect(users.get('boss1')).toMatchObject({ userType: 1, passwordHash: 'hash:new' });
  });
});
