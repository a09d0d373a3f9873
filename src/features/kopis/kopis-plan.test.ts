import { describe, expect, it } from 'vitest';
import { daysBetween } from '../../platform/kst.js';
import { planSync, windows, WINDOW_DAYS } from './kopis-plan.js';

const dotted = (c: string) => `${c.slice(0, 4)}.${c.slice(4, 6)}.${c.slice(6)}`;

describe('planning a sync', () => {
  it('when the range is 90 days, then it is listed in windows of at most 31 days that cover it without gaps', () => {
    const w = windows('2026.11.25', '2027.02.22');
    expect(w).toEqual([
      ['2026.11.25', '2026.12.25'],
      ['2026.12.26', '2027.01.25'],
      ['2027.01.26', '2027.02.22'],
    ]);
    for (const [s, e] of w) expect(daysBetween(s, e) + 1).toBeLessThanOrEqual(WINDOW_DAYS);
  });

  it('when provinces are named, then each window is listed once per province', () => {
    const plan = planSync({ from: '2026.11.25', to: '2026.12.10', provinces: ['28', '41'] }, undefined, false);
    expect(plan.steps).toEqual([
      { stdate: '20261125', eddate: '20261210', signgucode: '28' },
      { stdate: '20261125', eddate: '20261210', signgucode: '41' },
    ]);
  });

  it('when an earlier sync covered the dates, then they are asked only for changes since its day, and new dates in full', () => {
    const previous = { scope: { from: '2026.11.24', to: '2027.02.21', provinces: [] }, startedDay: '2026.11.24' };
    const plan = planSync({ from: '2026.11.25', to: '2027.02.22', provinces: [] }, previous, false);
    expect(plan.afterdate).toBe('20261124');
    const changed = plan.steps.filter((s) => s.afterdate === '20261124');
    const full = plan.steps.filter((s) => s.afterdate === undefined);
    expect(changed.map((s) => [dotted(s.stdate), dotted(s.eddate)])).toEqual(windows('2026.11.25', '2027.02.21'));
    expect(full).toEqual([{ stdate: '20270222', eddate: '20270222' }]);
  });

  it('when --full is asked or the earlier sync covered other dates, then everything is listed', () => {
    const previous = { scope: { from: '2026.01.01', to: '2026.01.31', provinces: [] }, startedDay: '2026.01.01' };
    expect(planSync({ from: '2026.11.25', to: '2026.12.01', provinces: [] }, previous, false).afterdate).toBeUndefined();
    const same = { scope: { from: '2026.11.25', to: '2026.12.01', provinces: [] }, startedDay: '2026.11.25' };
    expect(planSync({ from: '2026.11.25', to: '2026.12.01', provinces: [] }, same, true).steps).toEqual([{ stdate: '20261125', eddate: '20261201' }]);
  });
});
