import type { Performance, PerformanceSummary, RunText } from './performance.js';

/** Outcome of writing a batch of runs. */
export interface UpsertCounts {
  inserted: number;
  updated: number;
}

/** The stored runs a batch mentions, by id or by duplicatekey. */
export interface StoredLookup {
  ids: readonly string[];
  keys: readonly string[];
}

/** What to write after seeing the stored runs, and what to hand back to the caller. */
export interface ResolvedWrites<T> {
  writes: readonly Performance[];
  result: T;
}

/**
 * Durable home of the catalogue. Adapters: SQLite, PostgreSQL, memory (tests).
 * Every write bumps `version()`, which readers poll to know when to reload.
 */
export interface PerformanceStore {
  version(): Promise<number>;
  count(): Promise<number>;
  /** Every run's summary, ordered by start date, then title, then id. */
  summaries(): Promise<PerformanceSummary[]>;
  /** The stored document JSON (fixed field order) or undefined. */
  documentJson(id: string): Promise<string | undefined>;
  findByIds(ids: readonly string[]): Promise<Performance[]>;
  findByDuplicateKeys(keys: readonly string[]): Promise<Performance[]>;
  /**
   * The text fields of up to `limit` runs whose id is greater than `afterId`, ordered by id:
   * a batched read of the whole catalogue's text for the recommendation job.
   */
  textBatch(afterId: string | undefined, limit: number): Promise<RunText[]>;
  /**
   * Writes every run in one transaction: all of them or none. Runs are keyed by `_id`;
   * the caller has already resolved `duplicatekey` clashes: the key is unique in the
   * catalogue as it is after the write (runs of one batch may hand keys to each other).
   */
  upsertMany(runs: readonly Performance[]): Promise<UpsertCounts>;
  /**
   * Read-modify-write in one transaction: reads the stored runs with the ids or duplicatekeys
   * of `lookup`, calls `decide` with them (synchronously) and writes what it returns as
   * `upsertMany` would. No other catalogue write runs between the read and the write (SQLite:
   * BEGIN IMMEDIATE; PostgreSQL: the catalogue's version row is locked first, by every writer),
   * so two imports that bring the same run at once both keep their vendors.
   */
  upsertResolved<T>(lookup: StoredLookup, decide: (stored: Performance[]) => ResolvedWrites<T>): Promise<T>;
}
