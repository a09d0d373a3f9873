import type { AuthConfig } from '../../config/config.js';
import type { Clock } from '../../platform/clock.js';
import { tooManyRequests } from '../../platform/errors.js';
import type { RateLimitSlot, RateLimitStore, WindowCount } from './rate-limit.store.js';

export type ThrottleConfig = Pick<
  AuthConfig,
  | 'loginFailureLimit'
  | 'loginClientFailureLimit'
  | 'loginIdFailureLimit'
  | 'loginFailureWindowSeconds'
  | 'clientBurstLimit'
  | 'clientBurstWindowSeconds'
>;

/** A login attempt counted before its password check; `succeeded` takes it back. */
export interface LoginAttempt {
  readonly keys: { readonly idClient: string; readonly client: string; readonly id: string };
}

const PRUNE_EVERY = 500;
/** Every window the configuration allows is at most a day: a counter begun a day ago has ended, whatever its key. */
const LONGEST_WINDOW_MS = 24 * 60 * 60 * 1000;

const tooManyAt = (w: WindowCount, now: Date) => {
  const seconds = Math.max(1, Math.ceil((w.resetAt.getTime() - now.getTime()) / 1000));
  return tooManyRequests('Too many attempts; try again later', seconds);
};

/**
 * A request limit per client on one endpoint (e.g. `/kakao/callback`), counted in the same shared
 * store as the login limits so that all API instances enforce one limit.
 */
export class ClientRateLimiter {
  private hits = 0;

  constructor(
    private readonly deps: {
      store: RateLimitStore;
      clock: Clock;
      /** Namespaces the counters (`<name>:<client>`). */
      name: string;
      limit: number;
      windowSeconds: number;
    },
  ) {}

  /** Counts one request from `client`; 429 (with Retry-After) once the client is past the limit in the window. */
  async hit(client: string): Promise<void> {
    const { store, clock, name, limit, windowSeconds } = this.deps;
    const now = clock.now();
    const w = await store.hit(`${name}:${client}`, windowSeconds * 1000, now);
    this.hits += 1;
    // only counters that ended long ago, of any limiter sharing the store
    if (this.hits % PRUNE_EVERY === 0) await store.prune(new Date(now.getTime() - LONGEST_WINDOW_MS));
    if (w.count > limit) throw tooManyAt(w, now);
  }
}

/**
 * Brute-force protection, counted in the shared store so that all API instances enforce one limit:
 * - a burst limit per client on every login, signup and check-id request;
 * - failed logins per (id, client): one client guessing one id gets a few tries per window;
 * - failed logins per client, whatever the ids: one client spraying many ids;
 * - a higher ceiling of failed logins per id from all clients: many clients guessing one id are
 *   slowed to that many guesses per window, while a stranger's failures from one client never
 *   keep the owner, on another client, out.
 * Each attempt is reserved on all three failure counters before the password is checked, so
 * parallel guesses are counted too; a successful login takes its reservation back.
 */
export class AuthThrottle {
  private hits = 0;

  constructor(private readonly deps: { store: RateLimitStore; clock: Clock; config: ThrottleConfig }) {}

  /** Counts one request from `client`; 429 once the client's burst limit is passed. */
  async clientRequest(client: string): Promise<void> {
    const { config, store, clock } = this.deps;
    const now = clock.now();
    const windowMs = config.clientBurstWindowSeconds * 1000;
    const w = await store.hit(`client:${client}`, windowMs, now);
    await this.maybePrune(now);
    if (w.count > config.clientBurstLimit) throw this.tooMany(w, now);
  }

  /**
   * Counts a login attempt for `id` from `client` as a failure until it succeeds; 429 (counting
   * nothing) when any of the three failure counters is full.
   */
  async reserveLogin(id: string, client: string): Promise<LoginAttempt> {
    const { config, store, clock } = this.deps;
    const now = clock.now();
    const windowMs = config.loginFailureWindowSeconds * 1000;
    // A client key has no spaces, so `<client> <id>` cannot be read two ways.
    const keys = { idClient: `login-idc:${client} ${id}`, client: `login-c:${client}`, id: `login-id:${id}` };
    const slots: RateLimitSlot[] = [
      { key: keys.idClient, limit: config.loginFailureLimit, windowMs },
      { key: keys.client, limit: config.loginClientFailureLimit, windowMs },
      { key: keys.id, limit: config.loginIdFailureLimit, windowMs },
    ];
    const r = await store.reserve(slots, now);
    if (!r.ok) throw this.tooMany(r.blocked, now);
    return { keys };
  }

  /** The password was right: the attempt was no failure, and this client's failures on the id start over. */
  async loginSucceeded(attempt: LoginAttempt): Promise<void> {
    await this.deps.store.release([attempt.keys.client, attempt.keys.id]);
    await this.deps.store.clear(attempt.keys.idClient);
  }

  private tooMany(w: WindowCount, now: Date) {
    return tooManyAt(w, now);
  }

  // Counters of one-off clients and ids would otherwise pile up. The store is shared with other
  // limiters (ClientRateLimiter) whose windows may be longer than ours: only day-old counters go.
  private async maybePrune(now: Date): Promise<void> {
    this.hits += 1;
    if (this.hits % PRUNE_EVERY !== 0) return;
    await this.deps.store.prune(new Date(now.getTime() - LONGEST_WINDOW_MS));
  }
}
