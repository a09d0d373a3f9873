export interface RankedRun {
  ticket_id: string;
  views: number;
}

/** Stored view rankings, one per window (`all` for the legacy all-time ranking). */
export interface PopularStore {
  /** Ranked runs, highest views first. */
  ranking(window: string): Promise<RankedRun[]>;
  /** Replaces one window's ranking atomically. */
  replaceRanking(window: string, rows: readonly RankedRun[], computedAt: Date): Promise<void>;
}
