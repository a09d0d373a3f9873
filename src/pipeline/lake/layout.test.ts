import { describe, expect, it } from 'vitest';
import { TOPICS } from '../events.js';
import { eventFileKey, LAKE_ROOT, parseLakeKey, topicPrefix } from './layout.js';

// The one place the documented layout (docs/lake.md) is spelled out literally.
describe('the lake layout', () => {
  it('when a topic is named, then its files sit in its own folder under logs/', () => {
    expect(LAKE_ROOT).toBe('logs/');
    expect(topicPrefix('Search_log')).toBe('logs/Search_log/');
    expect(topicPrefix('View_detail_log')).toBe('logs/View_detail_log/');
  });

  it('when the sink names a batch, then the key carries the first KST time, source, partition and padded offset', () => {
    expect(
      eventFileKey({ topic: 'Search_log', partition: 0, firstOffset: 1, firstTimestamp: '2026-11-27T21:15:30.123+09:00', source: 'e3f9c1a2b4d5' }),
    ).toBe('logs/Search_log/20261127T211530.123-e3f9c1a2b4d5-p0-o000000000001.parquet');
    expect(
      eventFileKey({ topic: 'View_detail_log', partition: 2, firstOffset: 4000, firstTimestamp: '2026-11-27T21:15:30.123+09:00', source: 'kafka' }),
    ).toBe('logs/View_detail_log/20261127T211530.123-kafka-p2-o000000004000.parquet');
  });

  it('when a key the sink wrote is parsed, then every part of its name comes back', () => {
    for (const topic of TOPICS) {
      const name = { topic, partition: 7, firstOffset: 123_456, firstTimestamp: '2026-01-02T03:04:05.006+09:00', source: 'a-b-c' };
      expect(parseLakeKey(eventFileKey(name))).toEqual({
        topic,
        file: '20260102T030405.006-a-b-c-p7-o000000123456.parquet',
        batch: { stamp: '20260102T030405.006', source: 'a-b-c', partition: 7, firstOffset: 123_456 },
      });
    }
  });

  it('when a key is named otherwise, then only Parquet files under a known topic are event files', () => {
    expect(parseLakeKey('logs/View_detail_log/2026-11-27.parquet')).toEqual({ topic: 'View_detail_log', file: '2026-11-27.parquet' });
    expect(parseLakeKey('logs/View_detail_log/old/x.parquet')).toEqual({ topic: 'View_detail_log', file: 'old/x.parquet' });
    expect(parseLakeKey('logs/View_detail_log/x.json')).toBeUndefined();
    expect(parseLakeKey('logs/Unknown_log/x.parquet')).toBeUndefined();
    expect(parseLakeKey('logs/x.parquet')).toBeUndefined();
    expect(parseLakeKey('other/View_detail_log/x.parquet')).toBeUndefined();
  });
});
