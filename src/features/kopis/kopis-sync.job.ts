import type { JobContext } from '../jobs/index.js';
import type { KopisSyncService, KopisSyncSummary, SyncOptions, SyncProgress } from './kopis-sync.service.js';
import { counted } from '../../platform/plural.js';

export function describeProgress(p: SyncProgress): string {
  const c = p.counts;
  return (
    `step ${Math.min(p.step + 1, p.steps)}/${p.steps} page ${p.page}: fetched ${c.fetched}, details ${c.details}, inserted ${c.inserted}, ` +
    `updated ${c.updated}, merged ${c.merged}, skipped ${c.skipped}, errors ${c.errors} (${counted(p.calls, 'call')})`
  );
}

/**
 * The sync as a job (run under the `kopis` lease): each progress point renews the lease
 * and is where a stop request takes effect; `onProgress` also gets the structured figures (the
 * CLI's progress bar).
 */
export function kopisSyncJob(
  service: KopisSyncService,
  options: SyncOptions = {},
  onProgress?: (p: SyncProgress) => void,
): (ctx: JobContext) => Promise<KopisSyncSummary> {
  return (ctx) =>
    service.sync(options, {
      signal: ctx.signal,
      progress: async (p) => {
        onProgress?.(p);
        await ctx.progress(describeProgress(p));
      },
    });
}
