/**
 * Loop time one slice of a long piece of work may take before it lets waiting requests in (the
 * whole catalogue's first list, 50,000 runs, took 80–140 ms of loop time in one piece).
 */
export const SLICE_MS = 4;

/** Small steps between two looks at the clock, so that reading it costs nothing next to the work. */
const CHECK_EVERY = 256;

/** Lets the event loop serve what is waiting (I/O callbacks run before `setImmediate`'s). */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Cuts a long loop on the event loop into slices of at most SLICE_MS of loop time. */
export class Slices {
  private started = performance.now();
  private count = 0;

  /** Counts one small step: whether the slice has used its time (the clock is read every CHECK_EVERY steps). */
  due(): boolean {
    this.count += 1;
    return this.count % CHECK_EVERY === 0 && this.overTime();
  }

  /** Whether the slice has used its time (reads the clock: for large steps). */
  overTime(): boolean {
    return performance.now() - this.started >= SLICE_MS;
  }

  /** Lets waiting requests in, then starts a new slice. */
  async pause(): Promise<void> {
    await yieldToLoop();
    this.started = performance.now();
  }

  /** After one small step: pauses once the slice has used its time. */
  async next(): Promise<void> {
    if (this.due()) await this.pause();
  }
}
