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
