import type { Clock, Timer } from '../../platform/clock.js';
import type { AuthChange } from './account.store.js';

/** How long a verified token is trusted without looking at the database again (never past its own expiry). */
export const VERIFIED_TOKEN_TTL_MS = 30_000;
/** Tokens remembered at most (LRU); a few MB of memory at most. */
export const VERIFIED_TOKEN_MAX = 10_000;

export interface VerifiedTokenCacheOptions<T> {
  clock: Clock;
  /** Monotonic time, for how fresh the last sync with the database is. */
  timer: Pick<Timer, 'now'>;
  /**
   * The cache answers only while its last sync with the change feed began less than this long
   * ago (see AuthChangeWatcher): the cross-instance staleness bound.
   */
  maxStalenessMs: number;
  ttlMs?: number;
  max?: number;
  /** What an entry's token stands for, to evict it by session or user. */
  keysOf(value: T): { sessionId: string; userId: string };
}

interface Entry<T> {
  value: T;
  /** Calendar ms (the service's Clock), min(now + TTL, token expiry). */
  expiresAt: number;
}

/**
 * The outcome of checking an access token (signature, session, user), keyed by the token itself,
 * bounded (LRU) and short-lived, with indexes by session and user so that a logout or an admin
 * change evicts at once. It answers only while synced with the database's change feed: until the
 * first sync, and whenever the last one is older than `maxStalenessMs`, every lookup misses.
 */
export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly bySession = new Map<string, Set<string>>();
  private readonly byUser = new Map<string, Set<string>>();
  private readonly ttlMs: number;
  private readonly max: number;
  private syncedAt: number | undefined;
  /** Bumped by every eviction: a check that raced one is not cached (it may have read the state before). */
  private generation = 0;

  constructor(private readonly opts: VerifiedTokenCacheOptions<T>) {
    this.ttlMs = opts.ttlMs ?? VERIFIED_TOKEN_TTL_MS;
    this.max = opts.max ?? VERIFIED_TOKEN_MAX;
  }

  get size(): number {
    return this.entries.size;
  }

  /** A marker to hand back to `set`: a check that started before an eviction is not cached. */
  begin(): number {
    return this.generation;
  }

  get(token: string): T | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (!this.fresh() || entry.expiresAt <= this.opts.clock.now().getTime()) {
      this.remove(token);
      return undefined;
    }
    // most recently used last: delete and re-insert keeps Map order as the LRU order
    this.entries.delete(token);
    this.entries.set(token, entry);
    return entry.value;
  }

  set(token: string, value: T, tokenExpiresAt: Date, began: number): void {
    if (began !== this.generation || !this.fresh()) return;
    const expiresAt = Math.min(this.opts.clock.now().getTime() + this.ttlMs, tokenExpiresAt.getTime());
    if (expiresAt <= this.opts.clock.now().getTime()) return;
    this.remove(token);
    this.entries.set(token, { value, expiresAt });
    const { sessionId, userId } = this.opts.keysOf(value);
    addTo(this.bySession, sessionId, token);
    addTo(this.byUser, userId, token);
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value as string;
      this.remove(oldest);
    }
  }

  evictSession(sessionId: string): void {
    this.generation += 1;
    for (const token of this.bySession.get(sessionId) ?? []) this.remove(token);
  }

  evictUser(userId: string): void {
    this.generation += 1;
    for (const token of this.byUser.get(userId) ?? []) this.remove(token);
  }

  apply(change: Pick<AuthChange, 'sessionId' | 'userId'>): void {
    if (change.sessionId !== null) this.evictSession(change.sessionId);
    if (change.userId !== null && change.sessionId === null) this.evictUser(change.userId);
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
    this.bySession.clear();
    this.byUser.clear();
  }

  /** The change feed was read completely as of a read that began at `startedAt` (Timer ms). */
  synced(startedAt: number): void {
    if (this.syncedAt === undefined || startedAt > this.syncedAt) this.syncedAt = startedAt;
  }

  /** The change feed cannot be read: forget everything and answer nothing until the next sync. */
  unsynced(): void {
    this.syncedAt = undefined;
    this.clear();
  }

  private fresh(): boolean {
    return this.syncedAt !== undefined && this.opts.timer.now() - this.syncedAt < this.opts.maxStalenessMs;
  }

  private remove(token: string): void {
    const entry = this.entries.get(token);
    if (entry === undefined) return;
    this.entries.delete(token);
    const { sessionId, userId } = this.opts.keysOf(entry.value);
    removeFrom(this.bySession, sessionId, token);
    removeFrom(this.byUser, userId, token);
  }
}

function addTo(index: Map<string, Set<string>>, key: string, token: string): void {
  const set = index.get(key);
  if (set) set.add(token);
  else index.set(key, new Set([token]));
}

function removeFrom(index: Map<string, Set<string>>, key: string, token: string): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(token);
  if (set.size === 0) index.delete(key);
}
