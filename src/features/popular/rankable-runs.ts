import { isCurrent, type CatalogReader } from '../catalog/index.js';

/**
 * Which runs popular may rank: runs the catalogue knows that are current (ending today or later
 * in KST, or open). Decided when the rankings are built, on a freshly loaded catalogue, so a run
 * that ended or was removed drops out of the next rankings.
 */
export function rankableRuns(catalog: Pick<CatalogReader, 'refresh' | 'today' | 'summaryOf'>): () => Promise<(ticketId: string) => boolean> {
  return async () => {
    await catalog.refresh();
    const today = catalog.today();
    return (ticketId) => {
      const run = catalog.summaryOf(ticketId);
      return run !== undefined && isCurrent(run, today);
    };
  };
}
