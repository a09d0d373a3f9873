import { describe, expect, it } from 'vitest';
import { makeRun } from '../../test-support/runs.js';
import { ListItems, upToInSlices } from './list-items.js';
import { summarize } from './performance.js';

const runs = Array.from({ length: 3000 }, (_, i) => summarize(makeRun({ title: `공연 "${i}" \\ 따옴표` })));

describe('list bodies built in slices of loop time', () => {
  it('when a long list is built in slices, then it is the same JSON as one built in one go', async () => {
    const indexes = Array.from({ length: runs.length }, (_, i) => (i * 7) % runs.length);
    const inOneGo = new ListItems('2026.11.27', runs, (r) => r.poster_url).list(indexes);
    const sliced = await new ListItems('2026.11.27', runs, (r) => r.poster_url).listInSlices(indexes);
    expect(sliced.equals(inOneGo)).toBe(true);
    expect(JSON.parse(sliced.toString())).toHaveLength(runs.length);
  });

  it('when work takes longer than a slice, then what waits on the event loop runs before the work is over', async () => {
    let waited = false;
    setImmediate(() => (waited = true));
    let seenBeforeTheEnd = false;
    // 2,048 steps of 0.05 ms: several slices' worth
    await upToInSlices(2048, (i) => {
      const until = performance.now() + 0.05;
      while (performance.now() < until);
      if (i === 2047) seenBeforeTheEnd = waited;
    });
    expect(seenBeforeTheEnd).toBe(true);
  });

  it('when a list is empty, then it is []', async () => {
    const items = new ListItems('2026.11.27', runs, (r) => r.poster_url);
    expect(items.list([]).toString()).toBe('[]');
    expect((await items.listInSlices([])).toString()).toBe('[]');
  });
});
