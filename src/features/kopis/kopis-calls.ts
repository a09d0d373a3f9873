import type { Clock, Timer } from '../../platform/clock.js';
import { kstDate } from '../../platform/kst.js';
import { KopisBudgetExhaustedError, type KopisBoxofficeQuery, type KopisClient, type KopisListQuery, type KopisTransport } from './kopis.client.js';
import { parseBoxofficeXml, parseDetailXml, parseListXml } from './kopis-xml.js';

/** Counts calls per KST day across processes (the sync store keeps it in the database). */
export interface KopisCallBudget {
  /** Takes one call from `day`'s budget; false when `limit` calls were already taken that day. */
  takeCall(day: string, limit: number): Promise<boolean>;
}

export interface KopisCallPolicy {
  /** Most calls per second (KOPIS_RATE_PER_SECOND); unofficially, 10+/s gets a key suspended. */
  ratePerSecond: number;
  /** Further attempts after a 5xx, a timeout, a network error or result code 03. */
  retries: number;
  /** First backoff; doubled per attempt, at most 30 s. */
  backoffMs: number;
  /** Calls per KST day (KOPIS_DAILY_CALL_BUDGET); every attempt counts. */
  dailyBudget: number;
}

export interface KopisCallDeps {
  transport: KopisTransport;
  budget: KopisCallBudget;
  clock: Clock;
  timer: Timer;
  policy: KopisCallPolicy;
  /** Told about each failed attempt that will be retried. */
  onRetry?: (info: { path: string; attempt: number; waitMs: number; error: Error }) => void;
}

const MAX_BACKOFF_MS = 30_000;

const isRetryable = (err: unknown): err is Error => err instanceof Error && (err as { retryable?: unknown }).retryable === true;

/**
 * The KOPIS client: every call waits for its slot (at most `ratePerSecond`), takes one call from
 * the day's budget, and is retried with exponential backoff when the failure is transient.
 */
export function createKopisClient(deps: KopisCallDeps): KopisClient {
  const { transport, budget, clock, timer, policy } = deps;
  const interval = 1000 / policy.ratePerSecond;
  let nextSlot = Number.NEGATIVE_INFINITY;
  let made = 0;

  const pace = async (signal?: AbortSignal) => {
    const now = timer.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + interval;
    if (slot > now) await timer.sleep(slot - now, signal);
  };

  /** One attempt = one HTTP call and the reading of its body; a result code 03 is retried like a 5xx. */
  const parsed = async <T>(path: string, params: Record<string, string>, parse: (xml: string) => T, signal?: AbortSignal): Promise<T> => {
    for (let attempt = 0; ; attempt += 1) {
      signal?.throwIfAborted();
      const day = kstDate(clock.now());
      if (!(await budget.takeCall(day, policy.dailyBudget))) throw new KopisBudgetExhaustedError(policy.dailyBudget, day);
      await pace(signal);
      made += 1;
      try {
        return parse(await transport(path, params, signal));
      } catch (err) {
        if (!isRetryable(err) || attempt >= policy.retries || signal?.aborted) throw err;
        const waitMs = Math.min(MAX_BACKOFF_MS, policy.backoffMs * 2 ** attempt);
        deps.onRetry?.({ path, attempt: attempt + 1, waitMs, error: err });
        await timer.sleep(waitMs, signal);
      }
    }
  };

  const listParams = (q: KopisListQuery): Record<string, string> => {
    const p: Record<string, string> = { stdate: q.stdate, eddate: q.eddate, cpage: String(q.cpage), rows: String(q.rows) };
    if (q.signgucode !== undefined) p.signgucode = q.signgucode;
    if (q.afterdate !== undefined) p.afterdate = q.afterdate;
    return p;
  };
  const boxofficeParams = (q: KopisBoxofficeQuery): Record<string, string> => {
    const p: Record<string, string> = { stdate: q.stdate, eddate: q.eddate };
    if (q.catecode !== undefined) p.catecode = q.catecode;
    if (q.area !== undefined) p.area = q.area;
    return p;
  };

  return {
    list: (q, signal) => parsed('pblprfr', listParams(q), parseListXml, signal),
    detail: (id, signal) => parsed(`pblprfr/${encodeURIComponent(id)}`, {}, parseDetailXml, signal),
    boxoffice: (q, signal) => parsed('boxoffice', boxofficeParams(q), parseBoxofficeXml, signal),
    calls: () => made,
  };
}
