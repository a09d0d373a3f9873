import type { PerformanceSummary } from './performance.js';

export interface ListOptions {
  /** Skip runs that have ended (KST today). */
  onlyCurrent?: boolean;
  /** At most this many items. */
  limit?: number;
}

/**
 * What other features may read of the catalogue: the in-memory snapshot the API answers from.
 * The analytics features rank, look up and list runs through it, never through the service.
 */
export interface CatalogReader {
  /** Loads the catalogue again if the store changed since the last load. */
  refresh(): Promise<void>;
  /** The KST calendar day `YYYY.MM.DD` the catalogue answers for. */
  today(): string;
  summaryOf(id: string): PerformanceSummary | undefined;
  /** Every run's summary, ordered by start date. */
  allRuns(): readonly PerformanceSummary[];
  /** List items (a JSON array) of the given ids in the given order, skipping unknown ids. */
  listOf(ids: readonly string[], opts?: ListOptions): Buffer;
}
