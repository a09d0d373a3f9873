import { describe, expect, it } from 'vitest';
import { dayFileKey, eventFileKey, FILE_SPAN_MS, parseLakeKey } from './layout.js';
import { eventTimeBounds, filesForRange } from './time-range.js';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
const sinkFile = (kst: string, source = 'e3f9c1a2b4d5') =>
  eventFileKey({ topic: 'Search_log', partition: 0, firstOffset: 1, firstTimestamp: kst, source });
const keys = (files: { key: string }[]) => files.map((f) => f.key);

describe('picking the files of a time range by name', () => {
  it('when a day file is named, then it says its KST day and sorts before that day’s sink files', () => {
    const day = dayFileKey('Search_log', '2026-11-27');
    expect(day).toBe('logs/Search_log/20261127-day.parquet');
    expect(parseLakeKey(day)).toEqual({ topic: 'Search_log', file: '20261127-day.parquet', day: '2026-11-27' });
    expect(day < sinkFile('2026-11-27T00:00:00.000+09:00')).toBe(true);
    expect(day > sinkFile('2026-11-26T23:59:59.999+09:00')).toBe(true);
    expect(parseLakeKey('logs/Search_log/20260230-day.parquet')).toEqual({ topic: 'Search_log', file: '20260230-day.parquet' });
    expect(() => dayFileKey('Search_log', '2026.11.27')).toThrow();
  });

  it('when a sink file is named at t, then it may hold events of t ± the span, both ends included', () => {
    const key = sinkFile('2026-11-27T21:15:30.123+09:00');
    const t = Date.parse('2026-11-27T21:15:30.123+09:00');
    expect(eventTimeBounds(key)).toEqual({ minMs: t - FILE_SPAN_MS, maxMs: t + FILE_SPAN_MS });
    const files = [{ key }];
    // a range ending exactly at the lower bound excludes it ([start, end) is half-open) …
    expect(filesForRange(files, { start: new Date(t - 3 * FILE_SPAN_MS), end: new Date(t - FILE_SPAN_MS) })).toEqual([]);
    // … one ms more includes it; a range starting exactly at the upper bound includes it, one ms later not
    expect(filesForRange(files, { start: new Date(t - 3 * FILE_SPAN_MS), end: new Date(t - FILE_SPAN_MS + 1) })).toEqual(files);
    expect(filesForRange(files, { start: new Date(t + FILE_SPAN_MS), end: new Date(t + 3 * FILE_SPAN_MS) })).toEqual(files);
    expect(filesForRange(files, { start: new Date(t + FILE_SPAN_MS + 1), end: new Date(t + 3 * FILE_SPAN_MS) })).toEqual([]);
  });

  it('when a one-day range is asked of a month of hourly files, then only that day and the margin around it are picked', () => {
    const files: { key: string }[] = [];
    for (let d = 1; d <= 30; d++) {
      for (let h = 0; h < 24; h++) {
        files.push({ key: sinkFile(`2026-11-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:30:00.000+09:00`) });
      }
    }
    const picked = keys(filesForRange(files, { start: at('2026-11-15T00:00:00+09:00'), end: at('2026-11-16T00:00:00+09:00') }));
    // 24 of the day, the two before (22:30, 23:30 of the 14th) and the two after (00:30, 01:30 of the 16th)
    expect(picked).toHaveLength(28);
    expect(picked[0]).toBe(sinkFile('2026-11-14T22:30:00.000+09:00'));
    expect(picked.at(-1)).toBe(sinkFile('2026-11-16T01:30:00.000+09:00'));
  });

  it('when day files and sink files mix, then a day file is picked for any range touching its day or its margins', () => {
    const files = [
      { key: dayFileKey('Search_log', '2026-11-25') },
      { key: dayFileKey('Search_log', '2026-11-26') },
      { key: sinkFile('2026-11-27T09:00:00.000+09:00') },
    ];
    const range = (from: string, to: string) => keys(filesForRange(files, { start: at(from), end: at(to) }));
    expect(range('2026-11-26T12:00:00+09:00', '2026-11-26T13:00:00+09:00')).toEqual([files[1]!.key]);
    // the 26th's sink files (named up to 23:59:59.999) may hold events up to two hours into the 27th
    expect(range('2026-11-27T01:00:00+09:00', '2026-11-27T01:30:00+09:00')).toEqual([files[1]!.key]);
    expect(range('2026-11-27T02:00:00.001+09:00', '2026-11-27T03:00:00+09:00')).toEqual([]);
    // and events up to two hours before the 25th began (a file's events may precede its first)
    expect(range('2026-11-24T22:30:00+09:00', '2026-11-24T23:00:00+09:00')).toEqual([files[0]!.key]);
    expect(range('2026-11-20T00:00:00+09:00', '2026-11-30T00:00:00+09:00')).toEqual(keys(files));
  });

  it('when a name cannot bound its times (copied in by hand, the demo’s week of views), then it is always picked', () => {
    const files = [
      { key: 'logs/Search_log/by-hand.parquet' },
      { key: sinkFile('2020-01-01T00:00:00.000+09:00', 'demo') },
      { key: sinkFile('2020-01-01T00:00:00.000+09:00') },
    ];
    expect(keys(filesForRange(files, { start: at('2026-11-01T00:00:00Z'), end: at('2026-11-02T00:00:00Z') }))).toEqual([
      files[0]!.key,
      files[1]!.key,
    ]);
    expect(eventTimeBounds('not/a/lake/key')).toBeUndefined();
  });

  it('when the span is given, then the margin follows it', () => {
    const files = [{ key: sinkFile('2026-11-27T12:00:00.000+09:00') }];
    const range = { start: at('2026-11-27T13:30:00+09:00'), end: at('2026-11-27T14:00:00+09:00') };
    expect(filesForRange(files, range, HOUR)).toEqual([]);
    expect(filesForRange(files, range, 2 * HOUR)).toEqual(files);
  });
});
