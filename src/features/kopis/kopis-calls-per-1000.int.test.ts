import { afterEach, expect, it } from 'vitest';
import { kopisHarness } from '../../test-support/kopis-harness.js';
import { addDays } from '../../platform/kst.js';
import { generatedKopisRuns } from '../../test-support/kopis-fixtures.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

// The figures in README's "What it costs": calls counted from the fake KOPIS's request log.
it('when 1,000 runs are synced, then the first sync costs about one call per run and a daily incremental one a few dozen', async () => {
  // all 1,000 start within the synced 90 days, and play 1 to 40 days
  const runs = generatedKopisRuns(1000).map((r, i) => {
    const from = addDays('2026.11.25', i % 90);
    return { ...r, prfpdfrom: from, prfpdto: addDays(from, i % 40) };
  });
  const h = await kopisHarness(runs);
  close = h.close;

  const first = await h.sync();
  const firstCalls = h.fake.calls('all');
  const firstLists = h.fake.calls('list');
  expect(await h.performances.count()).toBe(first.counts.details);

  // a day later: 2% of the runs changed, 5 were registered
  for (const r of h.fake.runs.slice(100, 120)) {
    r.pcseguidance = '전석 10,000원';
    r.updatedate = '2026-11-25 20:00:00';
  }
  h.fake.runs.push(
    ...generatedKopisRuns(5, 7).map((r, i) => ({
      ...r,
      mt20id: `PF8${i}0000`,
      prfpdfrom: '2026.12.10',
      prfpdto: '2026.12.12',
      frstregdt: '2026-11-26 08:00:00',
    })),
  );
  h.clock.set('2026-11-26T10:00:00+09:00');
  const daily = await h.sync();
  const dailyCalls = h.fake.calls('all') - firstCalls;
  const dailyLists = h.fake.calls('list') - firstLists;

  process.stdout.write(
    `KOPIS calls for ${first.counts.details} runs: first sync ${firstCalls} (${firstLists} list + ${firstCalls - firstLists} detail); ` +
      `daily incremental with 20 changed + 5 new: ${dailyCalls} (${dailyLists} list + ${dailyCalls - dailyLists} detail)\n`,
  );
  expect(first.counts.details).toBe(1000);
  expect(firstCalls - firstLists).toBe(first.counts.details);
  expect(daily.counts).toMatchObject({ updated: 20, inserted: 5 });
  expect(dailyCalls - dailyLists).toBe(25);
  expect(dailyCalls).toBeLessThan(50);
});
