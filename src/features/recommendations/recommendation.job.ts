import type { Clock } from '../../platform/clock.js';
import { kstDate } from '../../platform/kst.js';
import { isCurrent, type PerformanceStore } from '../catalog/index.js';
import type { JobContext } from '../jobs/index.js';
import { coViewIndex, type CoViewIndex } from './co-views.js';
import { rankSimilarRuns, type SimilarityDoc } from './similarity-engine.js';
import { similarityDoc } from './similarity-text.js';
import { CO_VIEW_PARAMS } from './recommend-params.js';
import type { RecommendationEntry, RecommendationStore } from './recommendation.store.js';
import { noViewHistory, type ViewHistory } from './view-history.js';
import { counted } from '../../platform/plural.js';

export interface RecommendSummary {
  /** Runs in the catalogue that got a (possibly empty) list. */
  runsProcessed: number;
  /** Runs whose list has at least one similar run. */
  withRecommendations: number;
  /** Signed-in viewers whose views of the window were counted. */
  viewers: number;
  /** Runs with at least one co-viewed run. */
  coViewedRuns: number;
  /** Distinct pairs of runs viewed by a common viewer (that could recommend each other). */
  coViewPairs: number;
  /** Recommendations that co-views chose or helped choose (reason `co-views` or `both`). */
  fromCoViews: number;
}

export interface RecommendJobDeps {
  performances: Pick<PerformanceStore, 'textBatch'>;
  store: RecommendationStore;
  clock: Clock;
  /** Who viewed what (the lake's View_detail_log); without it, text alone. */
  views?: ViewHistory;
}

const READ_BATCH = 2_000;
const WRITE_BATCH = 2_000;
const DAY_MS = 86_400_000;

/** Rebuilds every run's similar-run list from the whole catalogue and the window's co-views. */
export function recommendJob(deps: RecommendJobDeps): (ctx: JobContext) => Promise<RecommendSummary> {
  return async (ctx) => {
    const now = deps.clock.now();
    const today = kstDate(now);
    const docs: SimilarityDoc[] = [];
    let after: string | undefined;
    for (;;) {
      const batch = await deps.performances.textBatch(after, READ_BATCH);
      // an ended run is never recommended (it may still get a list of its own)
      for (const run of batch) docs.push({ ...similarityDoc(run), current: isCurrent(run, today) });
      if (batch.length < READ_BATCH) break;
      after = batch[batch.length - 1]!.id;
      await ctx.progress(`read ${counted(docs.length, 'run')}`);
    }

    const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));
    const since = new Date(now.getTime() - CO_VIEW_PARAMS.windowDays * DAY_MS);
    await ctx.progress(`reading views since ${since.toISOString()}`);
    const coViews: CoViewIndex = await coViewIndex(docs, (deps.views ?? noViewHistory).viewsBetween(since, now), {
      pause: async () => {
        await yieldNow();
        if (ctx.signal.aborted) await ctx.progress('stopping');
      },
    });
    await ctx.progress(
      `co-views of ${counted(coViews.viewers, 'signed-in viewer')} (${counted(coViews.views, 'view')}, ${counted(coViews.pairs, 'run pair')})`,
    );

    await ctx.progress(`comparing ${counted(docs.length, 'run')}`);
    let reported = 0;
    const lists = await rankSimilarRuns(docs, {
      coViews: coViews.neighbours,
      pause: async (done, total) => {
        await yieldNow();
        if (done - reported >= 5_000 && done < total) {
          reported = done;
          await ctx.progress(`compared ${done}/${total} runs`);
        } else if (ctx.signal.aborted) {
          await ctx.progress('stopping');
        }
      },
    });
    await ctx.progress(`compared ${counted(lists.size, 'run')}`);
    const at = deps.clock.now();
    let entries: RecommendationEntry[] = [];
    let withRecommendations = 0;
    let fromCoViews = 0;
    for (const [id, similar] of lists) {
      if (similar.length > 0) withRecommendations += 1;
      for (const s of similar) if (s.reason !== 'text') fromCoViews += 1;
      entries.push({ performance_id: id, similar_ids: similar.map((s) => s.id) });
      if (entries.length >= WRITE_BATCH) {
        await deps.store.putMany(entries, at);
        entries = [];
      }
    }
    if (entries.length > 0) await deps.store.putMany(entries, at);
    await ctx.progress(`stored ${counted(lists.size, 'list')}`);
    return {
      runsProcessed: lists.size,
      withRecommendations,
      viewers: coViews.viewers,
      coViewedRuns: coViews.neighbours.size,
      coViewPairs: coViews.pairs,
      fromCoViews,
    };
  };
}
