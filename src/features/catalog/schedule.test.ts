import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { kstDate, weekendOf } from '../../platform/kst.js';
import { makeRun } from '../../test-support/runs.js';
import { summarize } from './performance.js';
import { onWeekend } from './rules.js';
import { EVERY_DAY, SATURDAY, SUNDAY, weekdaysOf } from './schedule.js';

const days = (...names: string[]) => names.reduce((m, n) => m | (1 << '월화수목금토일'.indexOf(n)), 0);

describe('reading schedule text (dtguidance)', () => {
  it.each([
    ['화요일 ~ 금요일(19:30), 토요일(15:00,19:00)', days('화', '수', '목', '금', '토')],
    ['토요일 ~ 일요일(12:30)', days('토', '일')],
    ['월요일 ~ 금요일(20:00)', days('월', '화', '수', '목', '금')],
    ['목요일(20:00), HOL(17:00)', days('목')],
    ['금요일 ~ 월요일(14:00)', days('금', '토', '일', '월')],
    ['화요일~일요일(10:00~18:00)', days('화', '수', '목', '금', '토', '일')],
    ['수요일', days('수')],
    ['매일(11:00)', EVERY_DAY],
  ])('when the text is "%s", then the weekdays are read', (text, mask) => {
    expect(weekdaysOf(text)).toBe(mask);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['HOL(14:00)', 'holidays only'],
    ['평일 19:30, 주말 15:00', 'words the parser does not know'],
    ['화요일 ~ 금요일(19:30', 'an unclosed parenthesis'],
    ['공연일정 추후 공지', 'an announcement'],
    ['토요일(15:00), 별도 문의', 'one unknown part among known ones'],
  ])('when the text is %j (%s), then the schedule is unknown', (text) => {
    expect(weekdaysOf(text)).toBeUndefined();
  });
});

describe('this weekend, refined by the schedule', () => {
  // Wednesday 2026-11-25 in Seoul; the weekend is 11.28–11.29.
  const today = kstDate(fixedClock('2026-11-25T09:00:00+09:00').now());
  const { saturday, sunday } = weekendOf(today);
  const on = (o: Parameters<typeof makeRun>[0]) => onWeekend(summarize(makeRun(o)), saturday, sunday);

  it('when a run overlapping the weekend plays only on weekdays, then it is not on this weekend', () => {
    expect(on({ start_date: '2026.11.01', end_date: '2026.12.31', schedule: '화요일 ~ 금요일(19:30)' })).toBe(false);
  });

  it('when a run plays on Sunday and its dates include Sunday, then it is on this weekend', () => {
    expect(on({ start_date: '2026.11.01', end_date: '2026.12.31', schedule: '일요일(15:00)' })).toBe(true);
    expect(on({ start_date: '2026.11.01', end_date: '상시공연', schedule: '토요일 ~ 일요일(12:30)' })).toBe(true);
  });

  it('when a run plays on Saturdays but ends on Friday… or starts on Sunday, then only the days within its dates count', () => {
    expect(on({ start_date: '2026.11.29', end_date: '2026.12.31', schedule: '토요일(15:00)' })).toBe(false);
    expect(on({ start_date: '2026.11.29', end_date: '2026.12.31', schedule: '토요일 ~ 일요일(15:00)' })).toBe(true);
  });

  it('when a run has no schedule or one that cannot be read, then overlapping the weekend is enough, as before', () => {
    expect(on({ start_date: '2026.11.23', end_date: '2026.11.28' })).toBe(true);
    expect(on({ start_date: '2026.11.23', end_date: '2026.11.28', schedule: '추후 공지' })).toBe(true);
    expect(summarize(makeRun({})).plays).toBeUndefined();
    expect('plays' in summarize(makeRun({}))).toBe(false);
  });

  it('when the schedule names the weekend, then the summary carries it', () => {
    expect(summarize(makeRun({ schedule: '토요일 ~ 일요일(12:30)' })).plays).toBe(SATURDAY | SUNDAY);
  });
});
