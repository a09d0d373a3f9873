import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openOutbox } from './outbox.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open() {
  const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-outbox-'));
  dirs.push(dir);
  return { file: path.join(dir, 'outbox.db'), outbox: openOutbox(path.join(dir, 'outbox.db')) };
}

const event = (id: string, timestamp: string) => JSON.stringify({ event_id: id, timestamp });

describe('the outbox', () => {
  it('when rows wait in several topics, then the oldest pending timestamp is the earliest of them', () => {
    const { outbox } = open();
    expect(outbox.oldestPendingTimestamp()).toBeUndefined();
    outbox.append('Search_log', 'k', event('a', '2026-11-27T12:00:05.000+09:00'));
    outbox.append('View_detail_log', 'k', event('b', '2026-11-27T12:00:01.000+09:00'));
    outbox.append('View_detail_log', 'k', event('c', '2026-11-27T12:00:09.000+09:00'));
    expect(outbox.oldestPendingTimestamp()).toBe('2026-11-27T12:00:01.000+09:00');
    // A committed row is no longer pending.
    outbox.commit('sink', 'View_detail_log', outbox.lastId('View_detail_log') - 1, true);
    outbox.commit('sink', 'Search_log', 0, true);
    expect(outbox.oldestPendingTimestamp()).toBe('2026-11-27T12:00:05.000+09:00');
    outbox.close();
  });

  it('when rows are set aside, then they leave the log, are counted, and survive a reopen', () => {
    const { file, outbox } = open();
    outbox.appendMany([
      ['Search_log', 'k1', event('a', '2026-11-27T12:00:00.000+09:00')],
      ['Search_log', 'k2', event('b', '2026-11-27T12:00:01.000+09:00')],
      ['Search_log', 'k3', event('c', '2026-11-27T12:00:02.000+09:00')],
    ]);
    const [, poison] = outbox.readAny(10);
    outbox.setAside([poison!], 'MESSAGE_TOO_LARGE');
    expect(outbox.readAny(10).map((r) => r.key)).toEqual(['k1', 'k3']);
    expect(outbox.size()).toBe(2);
    expect(outbox.setAsideCount()).toBe(1);
    outbox.close();
    const again = openOutbox(file);
    expect(again.setAsideCount()).toBe(1);
    again.close();
  });
});
