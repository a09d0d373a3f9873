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

/** New views of one recording, summed per ticket (all time) and per KST day and ticket. */
export class ViewTally {
  readonly totals = new Map<string, number>();
  private readonly byDay = new Map<string, number>();

  add(ticket: string, day: string): void {
    this.totals.set(ticket, (this.totals.get(ticket) ?? 0) + 1);
    if (day === '') return;
    const key = `${day}\u0000${ticket}`;
    this.byDay.set(key, (this.byDay.get(key) ?? 0) + 1);
  }

  /** `[day, ticket, views]` for every day and ticket with new views. */
  daily(): [day: string, ticket: string, views: number][] {
    return [...this.byDay].map(([key, views]) => {
      const cut = key.indexOf('\u0000');
      return [key.slice(0, cut), key.slice(cut + 1), views];
    });
  }
}
