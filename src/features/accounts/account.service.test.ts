import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { fixedClock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { recordingEvents } from '../../test-support/recording-events.js';
import { AccountService } from './account.service.js';
import type { AccountStore } from './account.store.js';
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
