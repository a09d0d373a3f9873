import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config/config.js';
import { createContainer } from '../container.js';
import { sqliteFileOf } from '../databases.js';
import { openSqlite } from '../db/sqlite/connection.js';
import { createSqliteJobLeaseStore } from '../features/jobs/sqlite-job-lease-store.js';
import { createLocalLake } from '../pipeline/lake/local-lake.js';
import { makeRun } from '../test-support/runs.js';
import { viewLogFile, viewLogKey } from '../test-support/view-log-files.js';
import { popularCommand } from './popular.js';
import { recommendCommand } from './recommend.js';

const ENV = { LOG_LEVEL: 'silent', TICKETMOA_DEMO: '0', TICKETMOA_NOW: '2026-11-27T12:00:00+09:00' };

describe('ticketmoa popular / recommend', () => {
  let dataDir: string;
  let out: string[];
  let err: string[];
  const runs = [makeRun({ title: '쇼팽 리사이틀' }), makeRun({ title: '쇼팽 녹턴의 밤' }), makeRun({ title: '록 페스티벌' })];

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-cli-'));
    vi.stubEnv('TICKETMOA_DATA_DIR', dataDir);
    for (const [k, v] of Object.entries(ENV)) vi.stubEnv(k, v);
    const container = await createContainer(loadConfig({ TICKETMOA_DATA_DIR: dataDir, ...ENV }));
    await container.stores.performances.upsertMany(runs);
    await container.close();
    const lake = createLocalLake(path.join(dataDir, 'lake'));
    const at = Date.parse('2026-11-27T02:00:00Z');
    const events = [0, 0, 1, 0].map((r, i) => ({ event_id: `e${i}`, ticket_id: runs[r]!._id, timestamp: at }));
    await lake.put(viewLogKey('a'), viewLogFile(events));
    await lake.put(viewLogKey('b'), viewLogFile(events.slice(0, 2)));
    out = [];
    err = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => out.push(String(s)) > 0);
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => err.push(String(s)) > 0);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when popular runs twice, then the second run reads nothing new, and both print a summary', async () => {
    expect(await popularCommand.run([], { parseArgs })).toBe(0);
    expect(out.join('')).toContain('files read: 2 of 2 listed');
    expect(out.join('')).toContain('events read: 6, counted: 4 (2 already counted)');
    expect(out.join('')).toContain('runs ranked: 2');
    expect(err.join('')).toMatch(/\[popular [\d.]+s\] read 2\/2 files/);
    out.length = 0;
    expect(await popularCommand.run([], { parseArgs })).toBe(0);
    expect(out.join('')).toContain('files read: 0 of 2 listed');
  });

  it('when recommend runs, then it reports the runs processed and the time', async () => {
    expect(await recommendCommand.run([], { parseArgs })).toBe(0);
    expect(out.join('')).toMatch(/recommend: done in [\d.]+s/);
    expect(out.join('')).toContain('runs processed: 3');
  });

  it('when another process holds the lease, then the command skips and says who holds it', async () => {
    const db = openSqlite(sqliteFileOf(loadConfig({ TICKETMOA_DATA_DIR: dataDir, ...ENV })));
    await createSqliteJobLeaseStore(db).tryAcquire('recommend', 'other-host:42', Date.parse('2026-11-27T03:00:00Z'), 3_600_000);
    db.close();
    expect(await recommendCommand.run([], { parseArgs })).toBe(0);
    expect(out.join('')).toContain('recommend: skipped, another run holds the lease (other-host:42');
  });
});
