import type { RankedRun } from './popular.store.js';
import type { ViewBatch } from './view-log.js';

/** A lake file as the popular job last read it. */
export interface ReadFile {
  key: string;
  size: number;
}

/**
 * What the popular job remembers between runs: the files it has read, the events it has counted
 * (so each event counts once across rewritten or overlapping files), and the counts.
 */
export interface ViewCountStore {
  /** Size of each file read so far, by key. */
  readFiles(): Promise<Map<string, number>>;
  /**
   * Counts the events of these files not counted before and records the files as read, all in
   * one transaction. Returns how many events were new.
   */
  recordFiles(files: readonly { file: ReadFile; views: ViewBatch }[], readAt: Date): Promise<number>;
  /** Views per ticket, all time (`sinceDay` undefined) or on KST days ≥ `sinceDay`; most viewed first, then ticket id. */
  counts(sinceDay?: string): Promise<RankedRun[]>;
  /** Forgets per-day counts before `day` (all-time totals stay). */
  pruneDaysBefore(day: string): Promise<void>;
}
