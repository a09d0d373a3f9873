import type { Clock } from '../../platform/clock.js';
import { kstDate } from '../../platform/kst.js';
import type { Lake } from '../../pipeline/index.js';
import type { PerformanceStore } from '../catalog/index.js';
import { syntheticViews, writeSyntheticViews } from './demo-views.js';
import { generateCatalogue } from './seed.js';

/** Size and seed of the demo catalogue a fresh install shows. */
export const DEMO_RUNS = 500;
export const DEMO_SEED = 20_260_101;

export type DemoOutcome =
  | {
      loaded: true;
      runs: number;
      today: string;
      /** The synthetic view log written for 주간 베스트, when a lake was given. */
      viewLog?: { key: string; views: number };
    }
  | { loaded: false; reason: 'disabled' | 'not-empty' };

/**
 * Gives a fresh install something to show: when enabled and the store holds no run, writes a
 * demo catalogue dated around today (KST) and, given the lake, a clearly marked synthetic view
 * log of it (see demo-views.ts) for the popular job to count. A store with any run is left
 * alone, so real data is never mixed with demo data.
 */
export async function loadDemoIfEmpty(deps: { enabled: boolean; store: PerformanceStore; clock: Clock; lake?: Lake }): Promise<DemoOutcome> {
  if (!deps.enabled) return { loaded: false, reason: 'disabled' };
  if ((await deps.store.count()) > 0) return { loaded: false, reason: 'not-empty' };
  const now = deps.clock.now();
  const today = kstDate(now);
  const runs = generateCatalogue({ count: DEMO_RUNS, seed: DEMO_SEED, today });
  await deps.store.upsertMany(runs);
  const views = deps.lake ? syntheticViews(runs, { now, seed: DEMO_SEED }) : [];
  if (deps.lake === undefined || views.length === 0) return { loaded: true, runs: runs.length, today };
  return { loaded: true, runs: runs.length, today, viewLog: await writeSyntheticViews(deps.lake, views) };
}
