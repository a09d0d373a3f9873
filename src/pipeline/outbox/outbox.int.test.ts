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

describe('the outbox set-aside rows', () => {
  function withPoison() {
    const opened = open();
    opened.outbox.appendMany([
      ['Search_log', 'k1', event('a', '2026-11-27T12:00:00.000+09:00')],
      ['Search_log', 'k2', event('b', '2026-11-27T12:00:01.000+09:00')],
      ['Login_log', 'k3', event('c', '2026-11-27T12:00:02.000+09:00')],
    ]);
    const rows = opened.outbox.readAny(10);
    opened.outbox.setAside([rows.find((r) => r.key === 'k2')!], 'too large: 9000 bytes');
    opened.outbox.setAside([rows.find((r) => r.key === 'k3')!], 'refused by kafka: INVALID_RECORD');
    return opened;
  }

  it('when they are listed, then each comes with its topic, id, payload and reason', () => {
    const { outbox } = withPoison();
    expect(outbox.setAsideRows()).toEqual([
      { topic: 'Login_log', id: 1, key: 'k3', payload: event('c', '2026-11-27T12:00:02.000+09:00'), reason: 'refused by kafka: INVALID_RECORD' },
      { topic: 'Search_log', id: 2, key: 'k2', payload: event('b', '2026-11-27T12:00:01.000+09:00'), reason: 'too large: 9000 bytes' },
    ]);
    outbox.close();
  });

  it('when they are replayed, then they are read again after every row and consumer position of their topic, and counted for good', () => {
    const { file, outbox } = withPoison();
    // the embedded sink's position is past the log's end (rows it read were pruned)
    outbox.append('Search_log', 'k4', event('d', '2026-11-27T12:00:03.000+09:00'));
    outbox.commit('sink', 'Search_log', outbox.lastId('Search_log') + 5, true);
    const replayed = outbox.replaySetAside();
    expect(replayed.map((r) => [r.topic, r.id, r.newId])).toEqual([
      ['Login_log', 1, 1],
      ['Search_log', 2, 8],
    ]);
    expect(outbox.setAsideCount()).toBe(0);
    expect(outbox.readTopic('Search_log', outbox.committed('sink', 'Search_log'), 10).map((r) => r.key)).toEqual(['k2']);
    expect(outbox.readAny(10).map((r) => r.key)).toEqual(['k3', 'k2']);
    expect(outbox.setAsideTotals()).toEqual({ replayed: 2, dropped: 0 });
    outbox.close();
    const again = openOutbox(file);
    expect(again.setAsideTotals()).toEqual({ replayed: 2, dropped: 0 });
    again.close();
  });

  it('when they are dropped, then they are gone, the log is untouched and the drop is counted', () => {
    const { outbox } = withPoison();
    expect(outbox.dropSetAside().map((r) => r.key)).toEqual(['k3', 'k2']);
    expect(outbox.setAsideRows()).toEqual([]);
    expect(outbox.readAny(10).map((r) => r.key)).toEqual(['k1']);
    expect(outbox.dropSetAside()).toEqual([]);
    expect(outbox.setAsideTotals()).toEqual({ replayed: 0, dropped: 2 });
    outbox.close();
  });
});

describe('the outbox size estimate', () => {
  it('when rows come and go from the front of each log, then the estimate equals the exact size', () => {
    const { outbox } = open();
    expect(outbox.sizeEstimate()).toBe(0);
    for (let i = 0; i < 30; i++) outbox.append(i % 3 === 0 ? 'Search_log' : 'Login_log', 'k', event(`e${i}`, '2026-11-27T12:00:00.000+09:00'));
    expect(outbox.sizeEstimate()).toBe(30);
    outbox.commit('sink', 'Login_log', outbox.lastId('Login_log') - 5, true);
    expect([outbox.sizeEstimate(), outbox.size()]).toEqual([15, 15]);
    outbox.commit('sink', 'Search_log', outbox.lastId('Search_log'), true);
    outbox.commit('sink', 'Login_log', outbox.lastId('Login_log'), true);
    expect([outbox.sizeEstimate(), outbox.size()]).toEqual([0, 0]);
    outbox.close();
  });

  it('when a row leaves from the middle of a log, then the estimate over-counts rather than under-counts', () => {
    const { outbox } = open();
    for (let i = 0; i < 5; i++) outbox.append('Search_log', `k${i}`, event(`e${i}`, '2026-11-27T12:00:00.000+09:00'));
    outbox.setAside([outbox.readTopic('Search_log', 0, 10)[2]!], 'MESSAGE_TOO_LARGE');
    expect([outbox.sizeEstimate(), outbox.size()]).toEqual([5, 4]);
    outbox.close();
  });
});

describe('the outbox log id', () => {
  it('when an outbox is reopened, then it keeps its log id, and another outbox has another', () => {
    const first = open();
    const id = first.outbox.logId;
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    first.outbox.close();
    const again = openOutbox(first.file);
    expect(again.logId).toBe(id);
    again.close();
    const other = open();
    expect(other.outbox.logId).not.toBe(id);
    other.outbox.close();
  });
});
