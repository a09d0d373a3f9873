import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Topic } from '../events.js';
import { openOutbox, type Outbox } from './outbox.js';

const dirs: string[] = [];
const open: Outbox[] = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function outboxIn(checkpointIntervalMs: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-checkpoint-'));
  dirs.push(dir);
  const file = path.join(dir, 'outbox.db');
  const outbox = openOutbox(file, { checkpoints: 'background', checkpointIntervalMs });
  open.push(outbox);
  return { outbox, walBytes: () => statSync(`${file}-wal`).size };
}

/** 16 MB of events in 40 commits of 200 rows, a short pause after each, as a busy API writes them. */
async function writeBusily(outbox: Outbox): Promise<void> {
  const payload = JSON.stringify({ event_id: 'e', pad: 'x'.repeat(2000) });
  for (let commit = 0; commit < 40; commit += 1) {
    const rows: [Topic, string, string][] = Array.from({ length: 200 }, () => ['View_detail_log', 'k', payload]);
    outbox.appendMany(rows);
    await sleep(40);
  }
}

describe('outbox checkpoints in a worker thread', () => {
  it('when events are committed on the request loop, then the commits never checkpoint: without the worker the log only grows', async () => {
    const { outbox, walBytes } = outboxIn(3_600_000);
    await writeBusily(outbox);
    // SQLite's automatic checkpoint would have kept it near 4 MB (1000 pages); nothing ran it
    expect(walBytes()).toBeGreaterThan(14 * 1024 * 1024);
    expect(outbox.size()).toBe(8000);
  });

  it('when the worker checkpoints, then the log stays small while a busy API writes 16 MB into it', async () => {
    const { outbox, walBytes } = outboxIn(50);
    await writeBusily(outbox);
    expect(walBytes()).toBeLessThan(4 * 1024 * 1024);
    expect(outbox.size()).toBe(8000);
  });

  it('when the outbox closes, then the worker stops with it and the file opens again with every row', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-checkpoint-'));
    dirs.push(dir);
    const file = path.join(dir, 'outbox.db');
    const first = openOutbox(file, { checkpoints: 'background', checkpointIntervalMs: 20 });
    first.appendMany([['Search_log', 'k', '{}']]);
    await sleep(60);
    first.close();
    const again = openOutbox(file);
    open.push(again);
    expect(again.size()).toBe(1);
  });
});
