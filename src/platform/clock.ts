/** The one source of "now" for the whole service. Nothing else calls Date.now(). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock frozen at one instant (TICKETMOA_NOW, tests). */
export function fixedClock(at: Date | string): Clock {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(ms)) throw new Error(`not an ISO 8601 instant: ${String(at)}`);
  return { now: () => new Date(ms) };
}

/** A clock tests can move by hand. */
export interface ManualClock extends Clock {
  set(at: Date | string): void;
  advance(ms: number): void;
}

export function manualClock(at: Date | string): ManualClock {
  let ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return {
    now: () => new Date(ms),
    set: (next) => {
      ms = typeof next === 'string' ? Date.parse(next) : next.getTime();
    },
    advance: (delta) => {
      ms += delta;
    },
  };
}

/** Monotonic time and waiting, for pacing calls (not calendar time: that is the Clock's). */
export interface Timer {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason once it is aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemTimer: Timer = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason as Error);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
