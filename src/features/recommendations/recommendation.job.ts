import type { Clock } from '../../platform/clock.js';
import type { PerformanceStore } from '../catalog/index.js';
import type { JobContext } from '../jobs/index.js';
import { similarRuns, type SimilarityDoc } from './similarity-engine.js';
import { similarityDoc } from './similarity-text.js';
import type { RecommendationEntry, RecommendationStore } from './recommendation.store.js';
import { counted } from '../../platform/plural.js';

export interface RecommendSummary {
  /** Runs in the catalogue that got a (possibly empty) list. */
  runsProcessed: number;
  /** Runs whose list has at least one similar run. */
  withRecommendations: number;
}

export interface RecommendJobDeps {
  performances: Pick<PerformanceStore, 'textBatch'>;
  store: RecommendationStore;
  clock: Clock;
}

const READ_BATCH = 2_000;
const WRITE_BATCH = 2_000;

/** Rebuilds every run's similar-run list from the whole catalogue. */
export function recommendJob(deps: RecommendJobDeps): (ctx: JobContext) => Promise<RecommendSummary> {
  return async (ctx) => {
    const docs: SimilarityDoc[] = [];
    let after: string | undefined;
    for (;;) {
      const batch = await deps.performances.textBatch(after, READ_BATCH);
      for (const run of batch) docs.push(similarityDoc(run));
      if (batch.length < READ_BATCH) break;
      after = batch[batch.length - 1]!.id;
      await ctx.progress(`read ${counted(docs.length, 'run')}`);
    }
    await ctx.progress(`comparing ${counted(docs.length, 'run')}`);
    let reported = 0;
    const lists = await similarRuns(docs, {
      pause: async (done, total) => {
        await new Promise<void>((resolve) => setImmediate(resolve));
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
    for (const [id, similar] of lists) {
      if (similar.length > 0) withRecommendations += 1;
      entries.push({ performance_id: id, similar_ids: similar });
      if (entries.length >= WRITE_BATCH) {
        await deps.store.putMany(entries, at);
        entries = [];
      }
    }
    if (entries.length > 0) await deps.store.putMany(entries, at);
    await ctx.progress(`stored ${counted(lists.size, 'list')}`);
    return { runsProcessed: lists.size, withRecommendations };
  };
}
