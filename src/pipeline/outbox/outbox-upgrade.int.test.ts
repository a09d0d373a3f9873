import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openOutbox } from './outbox.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const event = (id: string, timestamp: string) => JSON.stringify({ event_id: id, timestamp });

describe('an outbox file made before Like_log existed', () => {
  it('when it is opened by this version, then it gains the Like_log log and keeps what waited in the others', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-outbox-upgrade-'));
    dirs.push(dir);
    const file = path.join(dir, 'outbox.db');
    const old = openOutbox(file);
    old.append('Search_log', 'k', event('s1', '2026-11-27T12:00:00.000+09:00'));
    old.close();
    // the eight-topic schema: no Like_log table
    const db = new Database(file);
    db.exec('DROP TABLE outbox_Like_log');
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'outbox_Like_log'").get()).toEqual({ n: 0 });
    db.close();

    const outbox = openOutbox(file);
    expect(outbox.committed('sink', 'Like_log')).toBe(0);
    expect(outbox.lastId('Like_log')).toBe(0);
    outbox.append('Like_log', 'moa2026', event('l1', '2026-11-27T12:00:01.000+09:00'));
    expect(outbox.readTopic('Like_log', 0, 10)).toEqual([
      { topic: 'Like_log', id: 1, key: 'moa2026', payload: event('l1', '2026-11-27T12:00:01.000+09:00') },
    ]);
    expect(outbox.size()).toBe(2);
    expect(
      outbox
        .readAny(10)
        .map((r) => r.topic)
        .sort(),
    ).toEqual(['Like_log', 'Search_log']);
    outbox.close();
  });
});
