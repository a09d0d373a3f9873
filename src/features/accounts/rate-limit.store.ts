export interface WindowCount {
  /** Hits in the current window, this one included. */
  count: number;
  /** When the current window ends. */
  resetAt: Date;
}

/**
 * Fixed-window counters kept in the shared store, so that every API instance sees the same
 * counts. Keys are namespaced by the caller (`login:<id>`, `client:<ip>`).
 */
export interface RateLimitStore {
  /** Counts one hit and returns the window's count; a window that has ended starts over. */
  hit(key: string, windowMs: number, now: Date): Promise<WindowCount>;
  /** The current window's count without counting (0 when none is open). */
  peek(key: string, windowMs: number, now: Date): Promise<WindowCount>;
  clear(key: string): Promise<void>;
  /** Drops counters whose window began before `before`. */
  prune(before: Date): Promise<number>;
}
