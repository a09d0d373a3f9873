import { describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { createIdGenerator } from '../../platform/ids.js';
import { deriveKakaoStateKey, KakaoStates, STATE_TTL_MS } from './kakao-state.js';
import type { KakaoStateStore } from './kakao-state.store.js';

/** The store's contract in memory (the real adapters run it in kakao-state-store.int.test.ts). */
function memoryStates(): KakaoStateStore & { rows: Map<string, Date> } {
  const rows = new Map<string, Date>();
  return {
    rows,
    use: async (hash, state) => {
      if (rows.has(hash)) return false;
      rows.set(hash, state.expiresAt);
      return true;
    },
    prune: async (before) => {
      let n = 0;
      for (const [hash, expires] of rows) if (expires < before && rows.delete(hash)) n += 1;
      return n;
    },
  };
}

function setup(secret = 'a-jwt-secret-of-at-least-32-characters!') {
  const clock = manualClock(new Date('2026-11-27T03:00:00Z'));
  const store = memoryStates();
  const states = new KakaoStates({ key: deriveKakaoStateKey(secret), store, clock, ids: createIdGenerator(clock) });
  return { clock, store, states };
}

describe('the Kakao login state', () => {
  it('when the browser that started the login comes back with its state, then it is accepted once', async () => {
    const { states } = setup();
    const { state, binding } = states.issue();
    expect(state).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(state.length).toBeLessThanOrEqual(200);
    expect(binding).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(state).not.toContain(binding);
    expect(await states.redeem(state, binding)).toBeUndefined();
    expect(await states.redeem(state, binding)).toBe('state_reused');
    // the same signature spelt differently (base64url's unused low bits of the last character) is no new state
    const last = state.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1]!;
    expect(Buffer.from(state.split('.')[2]!.slice(0, -1) + sibling, 'base64url')).toEqual(Buffer.from(state.split('.')[2]!, 'base64url'));
    expect(await states.redeem(state.slice(0, -1) + sibling, binding)).toBe('state_mismatch');
  });

  it('when the state was not issued by this service (another key, tampered, made up), then it does not match', async () => {
    const { states } = setup();
    const other = setup('another-jwt-secret-of-32-characters!!').states.issue();
    expect(await states.redeem(other.state, other.binding)).toBe('state_mismatch');
    const { state, binding } = states.issue();
    const [t, n, mac] = state.split('.') as [string, string, string];
    const flipped = `${t}.${n}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    expect(await states.redeem(flipped, binding)).toBe('state_mismatch');
    expect(await states.redeem(`${(parseInt(t, 36) + 1).toString(36)}.${n}.${mac}`, binding)).toBe('state_mismatch');
    for (const made of ['', 'attacker-state', `${state}.x`, 'a.b.c', state.replaceAll('.', '')]) {
      expect(await states.redeem(made, binding), made).toBe('state_mismatch');
    }
    expect(await states.redeem(state, binding)).toBeUndefined();
  });

  it("when the binding is another browser's, missing or malformed, then the state does not match (and is not used up)", async () => {
    const { states } = setup();
    const victim = states.issue();
    const attacker = states.issue();
    expect(await states.redeem(attacker.state, victim.binding)).toBe('state_mismatch');
    expect(await states.redeem(attacker.state, undefined)).toBe('state_mismatch');
    expect(await states.redeem(attacker.state, `${attacker.binding}=`)).toBe('state_mismatch');
    expect(await states.redeem(undefined, attacker.binding)).toBe('state_mismatch');
    expect(await states.redeem(attacker.state, attacker.binding)).toBeUndefined();
  });

  it('when the callback comes 10 minutes after getcode, then the state has expired; a second earlier it is fine', async () => {
    const { states, clock } = setup();
    const late = states.issue();
    const early = states.issue();
    clock.advance(STATE_TTL_MS - 1000);
    expect(await states.redeem(early.state, early.binding)).toBeUndefined();
    clock.advance(1000);
    expect(await states.redeem(late.state, late.binding)).toBe('state_expired');
  });

  it('when a state was issued by an instance whose clock runs ahead by less than a minute, then it is accepted', async () => {
    const { states, clock } = setup();
    clock.advance(30_000);
    const ahead = states.issue();
    clock.advance(-30_000);
    expect(await states.redeem(ahead.state, ahead.binding)).toBeUndefined();
    clock.advance(120_000);
    const far = states.issue();
    clock.advance(-120_000);
    expect(await states.redeem(far.state, far.binding)).toBe('state_expired');
  });

  it('when used states have expired, then a later callback prunes them', async () => {
    const { states, clock, store } = setup();
    const first = states.issue();
    await states.redeem(first.state, first.binding);
    expect(store.rows.size).toBe(1);
    clock.advance(STATE_TTL_MS + 2 * 60_000);
    const second = states.issue();
    await states.redeem(second.state, second.binding);
    expect(store.rows.size).toBe(1);
  });
});
