export interface RecommendationEntry {
  performance_id: string;
  /** Similar runs, most similar first. */
  similar_ids: string[];
}

/** Stored similar-run lists, one per run. */
export interface RecommendationStore {
  /** The stored list, or undefined when none has been computed for this run. */
  get(performanceId: string): Promise<string[] | undefined>;
  putMany(entries: readonly RecommendationEntry[], computedAt: Date): Promise<void>;
  /** The runs among `ids` that have no stored list (an empty list counts as stored), in the given order. */
  missingAmong(ids: readonly string[]): Promise<string[]>;
}
