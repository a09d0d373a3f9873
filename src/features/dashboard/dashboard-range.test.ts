import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { resolveRange } from './dashboard-range.js';

describe('the dashboard date range', () => {
  it('when none is given, then it is the last 7 KST days with today, from KST midnight to the next', () => {
    const r = resolveRange('2026.11.27', undefined, undefined);
    expect([r.from, r.to]).toEqual(['2026-11-21', '2026-11-27']);
    expect(r.days).toEqual(['2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']);
    expect(r.instants.start.toISOString()).toBe('2026-11-20T15:00:00.000Z');
    expect(r.instants.end.toISOString()).toBe('2026-11-27T15:00:00.000Z');
  });

  it('when only the last day is given, then the range is the week ending on it; empty values mean the default', () => {
    expect(resolveRange('2026.11.27', '', '2026-03-01')).toMatchObject({ from: '2026-02-23', to: '2026-03-01' });
    expect(resolveRange('2026.01.02', '2025-12-31', '')).toMatchObject({
      from: '2025-12-31',
      to: '2026-01-02',
      days: ['2025-12-31', '2026-01-01', '2026-01-02'],
    });
  });

  it('when one day is asked for, then it covers exactly that KST day', () => {
    const r = resolveRange('2026.11.27', '2026-11-20', '2026-11-20');
    expect(r.days).toEqual(['2026-11-20']);
    expect(r.instants.end.getTime() - r.instants.start.getTime()).toBe(86_400_000);
  });

  it.each([
    ['2026-02-30', undefined, 'from must be a date'],
    [undefined, '2026/11/27', 'to must be a date'],
    ['2026-11-28', '2026-11-27', 'must not be after'],
    ['2025-11-26', '2026-11-27', 'at most 366 days'],
  ])('when from=%s to=%s, then it is refused with 422 (%s)', (from, to, message) => {
    const err = (() => {
      try {
        resolveRange('2026.11.27', from, to);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ statusCode: 422, detail: expect.stringContaining(message) });
  });

  it('when the range is a full leap year, then its 366 days are accepted', () => {
    expect(resolveRange('2028.12.31', '2028-01-01', '2028-12-31').days).toHaveLength(366);
  });

  it.each([
    [undefined, '9999-12-31', 'querystring.to'],
    ['0100-01-01', '2026-11-27', 'querystring.from'],
    ['1999-12-31', '2000-01-01', 'querystring.from'],
    ['2027-11-29', undefined, 'querystring.from'],
    [undefined, '2027-11-29', 'querystring.to'],
  ])('when from=%s to=%s lies outside 2000-01-01 … a year after today, then it is refused with 422 naming %s', (from, to, field) => {
    const err = (() => {
      try {
        resolveRange('2026.11.27', from, to);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      statusCode: 422,
      detail: `${field} must be a day from 2000-01-01 to 2027-11-28`,
      extra: { errors: [{ field, message: 'must be a day from 2000-01-01 to 2027-11-28' }] },
    });
  });

  it('when the range touches its bounds, then it is accepted with computable instants', () => {
    expect(resolveRange('2026.11.27', '2000-01-01', '2000-01-01').instants.start.toISOString()).toBe('1999-12-31T15:00:00.000Z');
    expect(resolveRange('2026.11.27', undefined, '2027-11-28').instants.end.toISOString()).toBe('2027-11-28T15:00:00.000Z');
  });
});
