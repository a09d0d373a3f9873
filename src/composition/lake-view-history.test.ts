import { describe, expect, it } from 'vitest';
import { createMemoryLake, eventFileKey } from '../pipeline/index.js';
import { viewLogFile, viewLogKey } from '../test-support/view-log-files.js';
import { lakeViewHistory } from './lake-view-history.js';

const NOW = Date.parse('2026-11-27T03:00:00Z');
const DAY_MS = 86_400_000;

describe('the lake as view history', () => {
  it('when the log holds anonymous views, views outside the window and an unreadable file, then only signed-in views of the window come back', async () => {
    const lake = createMemoryLake();
    await lake.put(
      viewLogKey('a'),
      viewLogFile([
        { event_id: 'e1', ticket_id: 'run1', timestamp: NOW - DAY_MS, user_id: 'u1' },
        { event_id: 'e2', ticket_id: 'run2', timestamp: NOW - DAY_MS, user_id: 'anonymous' },
        { event_id: 'e3', ticket_id: 'run3', timestamp: NOW - 91 * DAY_MS, user_id: 'u1' },
        { event_id: 'e4', ticket_id: 'run4', timestamp: NOW, user_id: 'kakao:7' },
      ]),
    );
    await lake.put(viewLogKey('b'), viewLogFile([{ event_id: 'e5', ticket_id: 'run5', timestamp: NOW - 2 * DAY_MS, user_id: 'kakao:7' }]));
    await lake.put(viewLogKey('c'), new Uint8Array([1, 2, 3]));
    const unreadable: string[] = [];
    const history = lakeViewHistory(lake, { onUnreadable: (key) => unreadable.push(key) });
    const seen = [];
    for await (const batch of history.viewsBetween(new Date(NOW - 90 * DAY_MS), new Date(NOW))) seen.push(...batch);
    expect(seen).toEqual([
      { viewer: 'u1', runId: 'run1', at: NOW - DAY_MS },
      { viewer: 'kakao:7', runId: 'run5', at: NOW - 2 * DAY_MS },
    ]);
    expect(unreadable).toEqual([viewLogKey('c')]);
  });

  it('when a file is named far outside the window, then it is not read at all (the range read by name, ADR 18)', async () => {
    const lake = createMemoryLake();
    const named = (firstTimestamp: string) =>
      eventFileKey({ topic: 'View_detail_log', partition: 0, firstOffset: 1, firstTimestamp, source: 'kafka' });
    const inWindow = named('2026-11-26T12:00:00.000+09:00');
    const longAgo = named('2026-06-01T12:00:00.000+09:00');
    await lake.put(inWindow, viewLogFile([{ event_id: 'e1', ticket_id: 'run1', timestamp: NOW - DAY_MS, user_id: 'u1' }]));
    // its name says June; a reader that opened it anyway would see this in-window row
    await lake.put(longAgo, viewLogFile([{ event_id: 'e2', ticket_id: 'run2', timestamp: NOW - DAY_MS, user_id: 'u2' }]));
    const read: string[] = [];
    const spy = { ...lake, get: (key: string) => (read.push(key), lake.get(key)) };
    const seen = [];
    for await (const batch of lakeViewHistory(spy).viewsBetween(new Date(NOW - 90 * DAY_MS), new Date(NOW))) seen.push(...batch);
    expect(seen.map((v) => v.runId)).toEqual(['run1']);
    expect(read).toEqual([inWindow]);
  });
});
