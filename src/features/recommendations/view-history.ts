/**
 * Who viewed which run, as the recommendation job reads it. The composition root adapts the
 * lake's `View_detail_log` to this port; the job never sees files, topics or Parquet.
 */

/** One detail view by a viewer the log can honestly tell apart from others. */
export interface ViewRecord {
  /** A stable key of the viewer: the event's `user_id` of a signed-in account (never `anonymous`). */
  viewer: string;
  runId: string;
  /** Epoch milliseconds. */
  at: number;
}

export interface ViewHistory {
  /**
   * The views with `from <= at < to`, in batches (one per file, roughly oldest first). A view may
   * come twice (a file written twice): the job counts a viewer's distinct runs, so that is harmless.
   */
  viewsBetween(from: Date, to: Date): AsyncIterable<readonly ViewRecord[]>;
}

/** No view log: every run keeps its text recommendations. */
export const noViewHistory: ViewHistory = {
  async *viewsBetween() {},
};
