import { describe, expect, it } from 'vitest';
import { addDays, dashedToDotted, daysBetween, isDottedDate, kstDate, kstTimestamp, weekendOf } from './kst.js';

describe('KST calendar', () => {
  it('when it is 23:59 UTC, then it is already the next day in Seoul', () => {
    expect(kstDate(new Date('2026-11-27T14:59:59Z'))).toBe('2026.11.27');
    expect(kstDate(new Date('2026-11-27T15:00:00Z'))).toBe('2026.11.28');
  });

  it('writes timestamps with the +09:00 offset', () => {
    expect(kstTimestamp(new Date('2026-11-27T15:04:05.006Z'))).toBe('2026-11-28T00:04:05.006+09:00');
  });

  it('accepts only real dates written YYYY.MM.DD', () => {
    expect(isDottedDate('2024.02.29')).toBe(true);
    expect(isDottedDate('2025.02.29')).toBe(false);
    expect(isDottedDate('2025.13.01')).toBe(false);
    expect(isDottedDate('2025-01-01')).toBe(false);
    expect(isDottedDate('2025.1.1')).toBe(false);
    expect(dashedToDotted('2000-01-31')).toBe('2000.01.31');
    expect(dashedToDotted('2000-02-31')).toBeUndefined();
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026.12.30', 3)).toBe('2027.01.02');
    expect(addDays('2024.03.01', -1)).toBe('2024.02.29');
    expect(daysBetween('2026.11.27', '2027.02.25')).toBe(90);
  });

  it('finds the weekend of the Monday–Sunday week, also on the weekend itself', () => {
    // 2026-11-23 is a Monday
    expect(weekendOf('2026.11.23')).toEqual({ saturday: '2026.11.28', sunday: '2026.11.29' });
    expect(weekendOf('2026.11.27')).toEqual({ saturday: '2026.11.28', sunday: '2026.11.29' });
    expect(weekendOf('2026.11.28')).toEqual({ saturday: '2026.11.28', sunday: '2026.11.29' });
    expect(weekendOf('2026.11.29')).toEqual({ saturday: '2026.11.28', sunday: '2026.11.29' });
    expect(weekendOf('2026.11.30')).toEqual({ saturday: '2026.12.05', sunday: '2026.12.06' });
  });
});
