import { describe, expect, it } from 'vitest';
import { noEvents } from '../../pipeline/index.js';
import { fixedClock } from '../../platform/clock.js';
import { makeRun } from '../../test-support/runs.js';
import { CatalogService, createMemoryPerformanceStore, OPEN_RUN } from '../catalog/index.js';
import { rankableRuns } from './rankable-runs.js';

const clock = fixedClock('2026-11-27T12:00:00+09:00');

describe('rankableRuns', () => {
  it('when runs are current, ended, open or unknown, then only current and open runs may be ranked', async () => {
    const store = createMemoryPerformanceStore();
    const endsToday = makeRun({ title: 'ends today', start_date: '2026.11.01', end_date: '2026.11.27' });
    const ended = makeRun({ title: 'ended', start_date: '2026.11.01', end_date: '2026.11.26' });
    const open = makeRun({ title: 'open', start_date: '2020.01.01', end_date: OPEN_RUN });
    await store.upsertMany([endsToday, ended, open]);
    const catalog = new CatalogService({ store, clock, events: noEvents });

    const rankable = await rankableRuns(catalog)();

    expect(rankable(endsToday._id)).toBe(true);
    expect(rankable(open._id)).toBe(true);
    expect(rankable(ended._id)).toBe(false);
    expect(rankable('0123456789abcdef01234567')).toBe(false);
  });

  it('when runs were written since the last load, then the decision sees them', async () => {
    const store = createMemoryPerformanceStore();
    const catalog = new CatalogService({ store, clock, events: noEvents });
    await catalog.refresh();
    const late = makeRun({ title: 'late', start_date: '2026.11.20', end_date: '2026.12.20' });
    await store.upsertMany([late]);

    expect((await rankableRuns(catalog)())(late._id)).toBe(true);
  });
});
