import { withoutUnsafeLinks, type PerformanceStore, type UnsafeLink } from '../catalog/index.js';
import type { JobContext } from '../jobs/index.js';
import { counted } from '../../platform/plural.js';

export interface LinkRepairSummary {
  /** Runs looked at. */
  checked: number;
  /** Runs holding at least one unsafe link. */
  runs: number;
  /** Unsafe links found. */
  links: number;
  /** Runs written without them (0 on a dry run). */
  cleaned: number;
}

export interface LinkRepairOptions {
  /** Only find and report them. */
  dryRun?: boolean;
  /** Runs read (and written) per store call. */
  batchSize?: number;
  /** Each run with unsafe links, as found. */
  onRun?(id: string, links: readonly UnsafeLink[]): void | Promise<void>;
  /** Called after each batch (a job renews its lease and checks its stop signal here). */
  onBatch?(summary: LinkRepairSummary): Promise<void>;
}

/**
 * Blanks (null) every stored link no frontend may be given (`javascript:`, `data:`, … in
 * `poster_url`, `artist[].artist_url`, `hosts[].ticket_url`): runs imported before imports checked
 * links. The rest of each run stays. A batch is re-read inside its write transaction, so an import
 * committing meanwhile is neither lost nor undone; running it again finds nothing.
 */
export async function repairLinks(store: PerformanceStore, options: LinkRepairOptions = {}): Promise<LinkRepairSummary> {
  const batchSize = options.batchSize ?? 500;
  const summary: LinkRepairSummary = { checked: 0, runs: 0, links: 0, cleaned: 0 };
  const ids = (await store.summaries()).map((s) => s.id);
  for (let i = 0; i < ids.length; i += batchSize) {
    const found = await store.findByIds(ids.slice(i, i + batchSize));
    summary.checked += found.length;
    const dirty: string[] = [];
    for (const run of found) {
      const { removed } = withoutUnsafeLinks(run);
      if (removed.length === 0) continue;
      dirty.push(run._id);
      summary.runs += 1;
      summary.links += removed.length;
      await options.onRun?.(run._id, removed);
    }
    if (dirty.length > 0 && !options.dryRun) {
      summary.cleaned += await store.upsertResolved({ ids: dirty, keys: [] }, (stored) => {
        const writes = stored.map((run) => withoutUnsafeLinks(run)).filter((c) => c.removed.length > 0);
        return { writes: writes.map((c) => c.run), result: writes.length };
      });
    }
    await options.onBatch?.(summary);
  }
  return summary;
}

/** One line per unsafe link: the run, the field and the value (quoted, so control characters show). */
export function describeUnsafeLinks(id: string, links: readonly UnsafeLink[]): string[] {
  return links.map((l) => `${id} ${l.field} ${JSON.stringify(l.value)}`);
}

/** How the job's progress line for one blanked link begins (`<run id> <field> <value>` follows). */
export const LINK_BLANKED = 'unsafe link blanked: ';

/**
 * `repairLinks` as a job (under the `repair-links` lease, so one process at a time cleans, and its
 * finish is recorded: `serve` cleans at start only in a database where it never finished).
 * Each cleaned link is a progress line.
 */
export function linkRepairJob(store: PerformanceStore): (ctx: JobContext) => Promise<LinkRepairSummary> {
  return (ctx) =>
    repairLinks(store, {
      onRun: async (id, links) => {
        for (const line of describeUnsafeLinks(id, links)) await ctx.progress(`${LINK_BLANKED}${line}`);
      },
      onBatch: (s) => ctx.progress(`checked ${counted(s.checked, 'run')}: ${counted(s.links, 'unsafe link')} in ${counted(s.runs, 'run')}`),
    });
}
