import { describe, expect, it } from 'vitest';
import { manualClock, type Timer } from '../../platform/clock.js';
import { errorBody } from '../../test-support/fake-kopis.js';
import { KopisApiError, KopisBudgetExhaustedError, KopisHttpError, type KopisTransport } from './kopis.client.js';
import { createKopisClient, type KopisCallBudget, type KopisCallPolicy } from './kopis-calls.js';

const EMPTY = '<?xml version="1.0"?><dbs></dbs>';

/** A timer whose sleeps move its time at once, and that remembers when each call started. */
function fakeTimer() {
  let t = 0;
  const sleeps: number[] = [];
  const timer: Timer = {
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  };
  return { timer, sleeps, advance: (ms: number) => (t += ms), now: () => t };
}

function memoryBudget(): KopisCallBudget & { used: Map<string, number> } {
  const used = new Map<string, number>();
  return {
    used,
    takeCall: async (day, limit) => {
      const n = used.get(day) ?? 0;
      if (n >= limit) return false;
      used.set(day, n + 1);
      return true;
    },
  };
}

const policy: KopisCallPolicy = { ratePerSecond: 5, retries: 3, backoffMs: 1000, dailyBudget: 100 };
const query = { stdate: '20261125', eddate: '20261225', cpage: 1, rows: 100 };

function setup(answers: (() => string)[], o: Partial<KopisCallPolicy> = {}) {
  const time = fakeTimer();
  const budget = memoryBudget();
  const starts: number[] = [];
  const transport: KopisTransport = async () => {
    starts.push(time.now());
    const next = answers.shift();
    if (!next) return EMPTY;
    return next();
  };
  const clock = manualClock('2026-11-25T10:00:00+09:00');
  const client = createKopisClient({ transport, budget, clock, timer: time.timer, policy: { ...policy, ...o } });
  return { client, starts, time, budget, clock };
}

const http = (status: number) => () => {
  throw new KopisHttpError(`HTTP ${status}`, status, status >= 500);
};

describe('KOPIS calls: throttle, retries, budget', () => {
  it('when calls come back to back, then they start at least 1/rate apart', async () => {
    const { client, starts } = setup([]);
    for (let i = 0; i < 6; i += 1) await client.list(query);
    const gaps = starts.slice(1).map((s, i) => s - starts[i]!);
    expect(gaps.every((g) => g >= 200)).toBe(true);
    expect(client.calls()).toBe(6);
  });

  it('when KOPIS answers 5xx, times out or says DB error (03), then the call is retried with doubling waits', async () => {
    const timeout = () => {
      throw new KopisHttpError('no answer within 15000 ms', undefined, true);
    };
    const { client, time } = setup([http(503), timeout, () => errorBody('03', 'DB_ERROR')]);
    expect(await client.list(query)).toEqual([]);
    expect(client.calls()).toBe(4);
    expect(time.sleeps.filter((ms) => ms >= 1000)).toEqual([1000, 2000, 4000]);
  });

  it('when the failure persists beyond the retries, then the last error is thrown', async () => {
    const { client } = setup([http(500), http(500), http(500), http(500), http(500)]);
    await expect(client.list(query)).rejects.toThrow(/HTTP 500/);
    expect(client.calls()).toBe(4);
  });

  it('when the key is refused (02) or the request is wrong (400), then nothing is retried', async () => {
    const refused = setup([() => errorBody('02', 'SERVICE KEY IS NOT REGISTERED ERROR.')]);
    await expect(refused.client.list(query)).rejects.toThrow(KopisApiError);
    expect(refused.client.calls()).toBe(1);
    const bad = setup([http(400)]);
    await expect(bad.client.list(query)).rejects.toThrow(/HTTP 400/);
    expect(bad.client.calls()).toBe(1);
  });

  it("when the day's budget is spent, then calls stop with a clear error until the next KST day", async () => {
    const { client, budget, clock } = setup([], { dailyBudget: 3 });
    for (let i = 0; i < 3; i += 1) await client.list(query);
    await expect(client.list(query)).rejects.toThrow(KopisBudgetExhaustedError);
    await expect(client.list(query)).rejects.toThrow(/budget \(3 calls, KOPIS_DAILY_CALL_BUDGET\) is spent for 2026\.11\.25/);
    expect(client.calls()).toBe(3);
    expect(budget.used.get('2026.11.25')).toBe(3);
    clock.set('2026-11-26T00:00:00+09:00');
    expect(await client.list(query)).toEqual([]);
  });

  it('when retries are made, then each attempt counts against the budget', async () => {
    const { client, budget } = setup([http(503), http(503)], { dailyBudget: 10 });
    await client.list(query);
    expect(budget.used.get('2026.11.25')).toBe(3);
  });
});
