export interface WindowCount {
  /** Hits in the current window, this one included. */
  count: number;
  /** When the current window ends. */
  resetAt: Date;
}

/** One counter a reservation must fit under. */
export interface RateLimitSlot {
  key: string;
  /** Most hits the window may hold. */
  limit: number;
  windowMs: number;
}

export type Reservation = { ok: true } | { ok: false; blocked: WindowCount };

/**
 * Fixed-window counters kept in the shared store, so that every API instance sees the same
 * counts. Keys are namespaced by the caller (`login:…`, `client:<ip>`).
 */
export interface RateLimitStore {
  /** Counts one hit and returns the window's count; a window that has ended starts over. */
  hit(key: string, windowMs: number, now: Date): Promise<WindowCount>;
  /** The current window's count without counting (0 when none is open). */
  peek(key: string, windowMs: number, now: Date): Promise<WindowCount>;
  /**
   * Counts one hit on every slot if each stays within its limit, all or nothing and atomically
   * (parallel reservations are counted one after the other, on every instance); otherwise counts
   * none and returns the full slot whose window ends last.
   */
  reserve(slots: readonly RateLimitSlot[], now: Date): Promise<Reservation>;
  /** Takes one hit back from each key (a reserved attempt that did not count after all). */
  release(keys: readonly string[]): Promise<void>;
  clear(key: string): Promise<void>;
  /** Drops counters whose window began before `before`. */
  prune(before: Date): Promise<number>;
}

/** The full slot (if any) after counting: the one whose window ends last. */
export function blockedSlot(counted: readonly { slot: RateLimitSlot; window: WindowCount }[]): WindowCount | undefined {
  let blocked: WindowCount | undefined;
  for (const { slot, window } of counted) {
    if (window.count > slot.limit && (!blocked || window.resetAt > blocked.resetAt)) blocked = window;
  }
  return blocked;
}
