import type { AuthConfig } from '../../config/config.js';
import type { Clock } from '../../platform/clock.js';
import { tooManyRequests } from '../../platform/errors.js';
import type { RateLimitStore, WindowCount } from './rate-limit.store.js';

export type ThrottleConfig = Pick<AuthConfig, 'loginFailureLimit' | 'loginFailureWindowSeconds' | 'clientBurstLimit' | 'clientBurstWindowSeconds'>;

const PRUNE_EVERY = 500;

/**
 * Brute-force protection: a burst limit per client on every login and signup request, and a
 * limit on failed logins per account id (so spreading guesses over many clients does not help).
 * Counters live in the shared store, so all API instances enforce one limit.
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

  /** 429 while `id` has used up its failed logins. */
  async assertLoginAllowed(id: string): Promise<void> {
    const { config, store, clock } = this.deps;
    const now = clock.now();
    const w = await store.peek(`login:${id}`, config.loginFailureWindowSeconds * 1000, now);
    if (w.count >= config.loginFailureLimit) throw this.tooMany(w, now);
  }

  async loginFailed(id: string): Promise<void> {
    const { config, store, clock } = this.deps;
    await store.hit(`login:${id}`, config.loginFailureWindowSeconds * 1000, clock.now());
  }

  async loginSucceeded(id: string): Promise<void> {
    await this.deps.store.clear(`login:${id}`);
  }

  private tooMany(w: WindowCount, now: Date) {
    const seconds = Math.max(1, Math.ceil((w.resetAt.getTime() - now.getTime()) / 1000));
    return tooManyRequests('Too many attempts; try again later', seconds);
  }

  // Counters of one-off clients and ids would otherwise pile up.
  private async maybePrune(now: Date): Promise<void> {
    this.hits += 1;
    if (this.hits % PRUNE_EVERY !== 0) return;
    const { config } = this.deps;
    const longest = Math.max(config.loginFailureWindowSeconds, config.clientBurstWindowSeconds) * 1000;
    await this.deps.store.prune(new Date(now.getTime() - longest));
  }
}
