import type { Clock } from '../../platform/clock.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { OBJECT_ID } from '../../platform/ids.js';
import { addDays } from '../../platform/kst.js';
import { isCurrent, runText, type CatalogReader, type PerformanceStore, type PerformanceSummary } from '../catalog/index.js';
import { DEFAULTS, similarRuns } from './similarity-engine.js';
import { similarityDoc } from './similarity-text.js';
import type { RecommendationStore } from './recommendation.store.js';

export const RECOMMENDATION_SIZE = 3;
/** Runs without a list that one background pass computes besides the ones asked for. */
export const SWEEP_LIMIT = 2_000;

/** What the request path hands to the background (`SimilarRunsBackfill`): it never computes itself. */
export interface SimilarRunsQueue {
  /** Compute this run's list soon, off the request loop. */
  request(id: string): void;
}

/** Which runs a background pass computes. */
export interface SimilarRunsRequest {
  /** Runs asked for (they get a list if they still have none). */
  ids: readonly string[];
  /**
   * Also runs of the catalogue that have no list yet (imported or synced since the last build),
   * at most `SWEEP_LIMIT`, and only once a build has stored lists: before the first build the
   * whole catalogue is missing, and that is the build's work.
   */
  sweep: boolean;
}

export interface SimilarRunsSummary {
  /** Runs that got a list in this pass. */
  computed: number;
  /** Runs still without a list, left to the next build (more than `SWEEP_LIMIT`, or no build yet). */
  leftForBuild: number;
}

export class RecommendationService {
  private queue: SimilarRunsQueue | undefined;

  constructor(
    private readonly deps: {
      store: RecommendationStore;
      catalog: Pick<CatalogReader, 'summaryOf' | 'allRuns' | 'listOf' | 'today'>;
      performances: Pick<PerformanceStore, 'findByIds'>;
      clock: Clock;
    },
  ) {}

  /** Where runs without a stored list are sent (set by the composition root). */
  computeIn(queue: SimilarRunsQueue): void {
    this.queue = queue;
  }

  /**
   * Up to 3 similar runs as a JSON list; 404 for an unknown run. A run that has no stored list
   * yet (imported since the last build) answers an empty list at once and is queued: its list is
   * computed in the background and served from the store afterwards.
   */
  async similarTo(id: string): Promise<Buffer> {
    if (!OBJECT_ID.test(id)) throw badRequest('id must be 24 lowercase hexadecimal characters');
    if (this.deps.catalog.summaryOf(id) === undefined) throw notFound('performance not found');
    const ids = await this.deps.store.get(id);
    if (ids === undefined) this.queue?.request(id);
    // a run that ended since the daily build is no longer recommended
    return this.deps.catalog.listOf(ids ?? [], { limit: RECOMMENDATION_SIZE, onlyCurrent: true });
  }

  /**
   * Computes and stores the lists of the asked runs that still have none (and, with `sweep`, of
   * other runs without one), region by region. Each run is compared with the runs of its region
   * starting in its window; idf comes from those candidates rather than the whole catalogue, which
   * orders them well enough until the next full build. CPU-heavy: runs in a job process.
   */
  async computeMissing(request: SimilarRunsRequest, opts: { signal?: AbortSignal } = {}): Promise<SimilarRunsSummary> {
    const { catalog, store, performances, clock } = this.deps;
    const known = request.ids.filter((id) => catalog.summaryOf(id) !== undefined);
    const todo = new Set(await store.missingAmong(known));
    let leftForBuild = 0;
    if (request.sweep) {
      const all = catalog.allRuns().map((r) => r.id);
      const missing = await store.missingAmong(all);
      if (missing.length === all.length) leftForBuild = missing.length;
      else {
        for (const id of missing) {
          if (todo.size >= known.length + SWEEP_LIMIT) break;
          todo.add(id);
        }
        leftForBuild = missing.filter((id) => !todo.has(id)).length;
      }
    }
    const byRegion = new Map<string | null, PerformanceSummary[]>();
    for (const id of todo) {
      const run = catalog.summaryOf(id)!;
      const group = byRegion.get(run.region);
      if (group) group.push(run);
      else byRegion.set(run.region, [run]);
    }
    let computed = 0;
    const pause = async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      opts.signal?.throwIfAborted();
    };
    for (const [region, group] of byRegion) {
      opts.signal?.throwIfAborted();
      const first = group.reduce((min, r) => (r.start_date < min ? r.start_date : min), group[0]!.start_date);
      const last = addDays(
        group.reduce((max, r) => (r.start_date > max ? r.start_date : max), group[0]!.start_date),
        DEFAULTS.windowDays,
      );
      const candidates = catalog
        .allRuns()
        .filter((r) => r.region === region && r.start_date >= first && r.start_date <= last)
        .map((r) => r.id);
      const today = catalog.today();
      const docs = (await performances.findByIds(candidates)).map((p) => ({ ...similarityDoc(runText(p)), current: isCurrent(p, today) }));
      const ids = new Set(group.map((r) => r.id));
      const lists = await similarRuns(docs, { onlyFor: ids, pause });
      await store.putMany(
        [...ids].map((id) => ({ performance_id: id, similar_ids: lists.get(id) ?? [] })),
        clock.now(),
      );
      computed += ids.size;
    }
    return { computed, leftForBuild };
  }
}
