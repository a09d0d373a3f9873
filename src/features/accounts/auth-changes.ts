import type { Timer } from '../../platform/clock.js';
import type { AccountStore, AuthChange } from './account.store.js';

/** How often every instance reads the change feed (one indexed query returning nothing, usually). */
export const AUTH_CHANGE_POLL_MS = 500;
/**
 * The cross-instance staleness bound: a cached token answers only while the last complete read of
 * the change feed began less than this long ago, so a logout or an admin change made by any
 * process is honoured everywhere within this time (on PostgreSQL its NOTIFY makes it
 * milliseconds; the bound holds even if a notification is lost).
 */
export const AUTH_STALENESS_BOUND_MS = 1_000;
/**
 * PostgreSQL hands out `seq` at insert, not at commit: a change can commit after one with a
 * higher seq. The feed is therefore re-read this many seqs back and changes already applied are
 * skipped (a revocation is one statement, so such overlaps are a few seqs at most).
 */
const LOOKBACK = 64;
const PAGE = 500;

export interface AuthChangeTarget {
  apply(change: AuthChange): void;
  synced(startedAt: number): void;
  unsynced(): void;
}

/**
 * Follows the store's `auth_changes` feed for one verified-token cache: a poll every
 * `AUTH_CHANGE_POLL_MS`, and at once when the database announces a change (`poke`, wired to
 * PostgreSQL's LISTEN by the container).
 */
export class AuthChangeWatcher {
  private cursor: number | undefined;
  /** Seqs above `cursor - LOOKBACK` already applied. */
  private readonly seen = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly deps: {
      store: Pick<AccountStore, 'lastAuthChange' | 'authChangesAfter'>;
      target: AuthChangeTarget;
      timer: Pick<Timer, 'now'>;
      pollMs?: number;
      onError?: (err: unknown) => void;
    },
  ) {}

  /** Reads the feed once now, then every poll interval (idempotent). */
  async start(): Promise<void> {
    if (!this.timer) {
      this.timer = setInterval(() => void this.poke(), this.deps.pollMs ?? AUTH_CHANGE_POLL_MS);
      this.timer.unref();
    }
    await this.poke();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reads the feed now; a call during a read makes it read once more right after. */
  poke(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async () => {
      do {
        this.again = false;
        await this.readOnce();
      } while (this.again);
    };
    this.running = run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async readOnce(): Promise<void> {
    const startedAt = this.deps.timer.now();
    try {
      if (this.cursor === undefined) {
        // Nothing is cached before the first sync, so there is nothing older to evict.
        this.cursor = await this.deps.store.lastAuthChange();
      } else {
        const changes = await this.deps.store.authChangesAfter(Math.max(0, this.cursor - LOOKBACK), PAGE);
        if (changes.length === PAGE) {
          // Too many to go through one by one: forget everything and start from the newest.
          this.deps.target.unsynced();
          this.seen.clear();
          this.cursor = await this.deps.store.lastAuthChange();
        } else {
          for (const change of changes) {
            if (this.seen.has(change.seq)) continue;
            this.seen.add(change.seq);
            this.deps.target.apply(change);
            if (change.seq > this.cursor) this.cursor = change.seq;
          }
          for (const seq of this.seen) if (seq <= this.cursor - LOOKBACK) this.seen.delete(seq);
        }
      }
      this.deps.target.synced(startedAt);
    } catch (err) {
      this.deps.target.unsynced();
      this.deps.onError?.(err);
    }
  }
}
