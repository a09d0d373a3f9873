import type { Clock } from '../../platform/clock.js';
import { kstDate } from '../../platform/kst.js';
import type { PerformanceStore } from '../catalog/index.js';
import { generateCatalogue } from './seed.js';

/** Size and seed of the demo catalogue a fresh install shows. */
export const DEMO_RUNS = 500;
export const DEMO_SEED = 20_260_101;

export type DemoOutcome = { loaded: true; runs: number; today: string } | { loaded: false; reason: 'disabled' | 'not-empty' };

/**
 * Gives a fresh install something to show: when enabled and the store holds no run, writes a
 * demo catalogue dated around today (KST). A store with any run is left alone, so real data
 * is never mixed with demo data.
 */
export async function loadDemoIfEmpty(deps: { enabled: boolean; store: PerformanceStore; clock: Clock }): Promise<DemoOutcome> {
  if (!deps.enabled) return { loaded: false, reason: 'disabled' };
  if ((await deps.store.count()) > 0) return { loaded: false, reason: 'not-empty' };
  const today = kstDate(deps.clock.now());
  const runs = generateCatalogue({ count: DEMO_RUNS, seed: DEMO_SEED, today });
  await deps.store.upsertMany(runs);
  return { loaded: true, runs: runs.length, today };
}
