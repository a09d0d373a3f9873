import type { Clock } from '../../platform/clock.js';
import { addDays, kstDate } from '../../platform/kst.js';
import { listEventFiles, type Lake } from '../../pipeline/index.js';
import type { JobContext } from '../jobs/index.js';
import type { PopularStore, RankedRun } from './popular.store.js';
import { ALL_TIME, TRENDING_WINDOWS } from './popular.windows.js';
import type { ReadFile, ViewCountStore } from './view-count.store.js';
import { readViews, type ViewBatch } from './view-log.js';
import { counted } from '../../platform/plural.js';

/** Rankings keep more runs than the 8 shown, so runs ending later still leave a full list. */
export const RANKING_SIZE = 200;
/** Per-day counts older than this are not needed by any window. */
const KEEP_DAYS = 60;
/** Events read before their counts are written in one transaction. */
const GROUP_EVENTS = 250_000;

export interface PopularSummary {
  filesListed: number;
  filesRead: number;
  /** Files that could not be read; they are tried again on the next run. */
  filesFailed: number;
  eventsRead: number;
  /** Events counted for the first time (the rest were already counted from another file). */
  eventsCounted: number;
  rankedRuns: number;
}

export interface PopularJobDeps {
  lake: Lake;
  counts: ViewCountStore;
  rankings: PopularStore;
  clock: Clock;
  /** Which tickets may be ranked, decided when the rankings are built: `rankableRuns(catalog)`. */
  rankable: () => Promise<(ticketId: string) => boolean>;
}

/** Reads the view-log files not read before, counts their new events and rebuilds the rankings. */
export function popularJob(deps: PopularJobDeps): (ctx: JobContext) => Promise<PopularSummary> {
  return async (ctx) => {
    const listed = await listEventFiles(deps.lake, 'View_detail_log');
    const read = await deps.counts.readFiles();
    const fresh = listed.filter((f) => read.get(f.key) !== f.size);
    const summary: PopularSummary = {
      filesListed: listed.length,
      filesRead: 0,
      filesFailed: 0,
      eventsRead: 0,
      eventsCounted: 0,
      rankedRuns: 0,
    };
    await ctx.progress(`${fresh.length} new of ${listed.length} view-log files`);
    // Files are counted in groups: one transaction per group keeps the count writes few, and a
    // crash loses at most the group in progress (its files are read again next time).
    let group: { file: ReadFile; views: ViewBatch }[] = [];
    let groupEvents = 0;
    const flush = async () => {
      if (group.length === 0) return;
      summary.eventsCounted += await deps.counts.recordFiles(group, deps.clock.now());
      summary.filesRead += group.length;
      summary.eventsRead += groupEvents;
      group = [];
      groupEvents = 0;
      await ctx.progress(`read ${summary.filesRead}/${fresh.length} files, ${counted(summary.eventsCounted, 'new event')}`);
    };
    for (const file of fresh) {
      const bytes = await deps.lake.get(file.key);
      if (bytes === undefined) continue;
      let views: ViewBatch;
      try {
        views = await readViews(bytes);
      } catch (err) {
        summary.filesFailed += 1;
        await ctx.progress(`cannot read ${file.key}: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      group.push({ file: { key: file.key, size: bytes.byteLength }, views });
      groupEvents += views.eventHashes.length;
      if (groupEvents >= GROUP_EVENTS) await flush();
    }
    await flush();

    const today = kstDate(deps.clock.now());
    const rankable = await deps.rankable();
    const top = (rows: RankedRun[]) => {
      const out: RankedRun[] = [];
      for (const r of rows) {
        if (out.length >= RANKING_SIZE) break;
        if (rankable(r.ticket_id)) out.push(r);
      }
      return out;
    };
    const at = deps.clock.now();
    const all = top(await deps.counts.counts());
    await deps.rankings.replaceRanking(ALL_TIME, all, at);
    for (const [window, days] of Object.entries(TRENDING_WINDOWS)) {
      await deps.rankings.replaceRanking(window, top(await deps.counts.counts(addDays(today, 1 - days))), at);
    }
    await deps.counts.pruneDaysBefore(addDays(today, -KEEP_DAYS));
    summary.rankedRuns = all.length;
    await ctx.progress(`ranked ${counted(all.length, 'run')}`);
    return summary;
  };
}
