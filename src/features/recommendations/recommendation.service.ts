import type { Clock } from '../../platform/clock.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { OBJECT_ID } from '../../platform/ids.js';
import { addDays } from '../../platform/kst.js';
import { runText, type CatalogReader, type PerformanceStore } from '../catalog/index.js';
import { DEFAULTS, similarRuns } from './similarity-engine.js';
import { similarityDoc } from './similarity-text.js';
import type { RecommendationStore } from './recommendation.store.js';

export const RECOMMENDATION_SIZE = 3;

export class RecommendationService {
  private readonly computing = new Map<string, Promise<string[]>>();

  constructor(
    private readonly deps: {
      store: RecommendationStore;
      catalog: Pick<CatalogReader, 'summaryOf' | 'allRuns' | 'listOf'>;
      performances: Pick<PerformanceStore, 'findByIds'>;
      clock: Clock;
    },
  ) {}

  /** Up to 3 similar runs as a JSON list; 404 for an unknown run. */
  async similarTo(id: string): Promise<Buffer> {
    if (!OBJECT_ID.test(id)) throw badRequest('id must be 24 lowercase hexadecimal characters');
    if (this.deps.catalog.summaryOf(id) === undefined) throw notFound('performance not found');
    const ids = (await this.deps.store.get(id)) ?? (await this.onDemand(id));
    return this.deps.catalog.listOf(ids, { limit: RECOMMENDATION_SIZE });
  }

  /** A run imported after the last build: compute its list now (one computation per run at a time) and keep it. */
  private onDemand(id: string): Promise<string[]> {
    let pending = this.computing.get(id);
    if (!pending) {
      pending = this.compute(id).finally(() => this.computing.delete(id));
      this.computing.set(id, pending);
    }
    return pending;
  }

  /**
   * Compares the run with its candidate window only; idf then comes from that window rather than
   * the whole catalogue, which orders the few candidates well enough until the next full build.
   */
  private async compute(id: string): Promise<string[]> {
    const run = this.deps.catalog.summaryOf(id);
    if (!run) return [];
    const last = addDays(run.start_date, DEFAULTS.windowDays);
    const candidates = this.deps.catalog
      .allRuns()
      .filter((r) => r.region === run.region && r.start_date >= run.start_date && r.start_date <= last)
      .map((r) => r.id);
    const docs = (await this.deps.performances.findByIds([id, ...candidates])).map((p) => similarityDoc(runText(p)));
    const lists = await similarRuns(docs, { onlyFor: new Set([id]) });
    const similar = lists.get(id) ?? [];
    await this.deps.store.putMany([{ performance_id: id, similar_ids: similar }], this.deps.clock.now());
    return similar;
  }
}
