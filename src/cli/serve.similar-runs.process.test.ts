import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../db/sqlite/connection.js';
import { makeRun } from '../test-support/runs.js';
import { buildDist, runTicketmoa, type ServerProcess, startServerProcess } from '../test-support/server-process.js';
import { until } from '../test-support/until.js';

const NOW = '2026-11-27T10:00:00+09:00';

describe('`ticketmoa serve` computes the lists of runs added since the last build in a job process', () => {
  let dir: string;
  let server: ServerProcess | undefined;
  const env = {
    TICKETMOA_NOW: NOW,
    TICKETMOA_DEMO: '0',
    TICKETMOA_SINK: 'off',
    JWT_SECRET: 'similar-runs-test-secret-0123456789abcdef',
    LOG_LEVEL: 'info',
    POPULAR_INTERVAL: 'off',
    RECOMMEND_INTERVAL: 'off',
  };
  const stored = (id: string) => {
    const db = openSqlite(path.join(dir, 'ticketmoa.db'));
    try {
      const raw = db.prepare('SELECT similar_ids FROM recommendations WHERE performance_id = ?').pluck().get(id) as string | undefined;
      return raw === undefined ? undefined : (JSON.parse(raw) as string[]);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    buildDist();
    dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-similar-runs-'));
    const seeded = await runTicketmoa(['seed', '--count', '3000'], { TICKETMOA_DATA_DIR: dir, TICKETMOA_NOW: NOW });
    expect(seeded.code, seeded.stderr).toBe(0);
    const built = await runTicketmoa(['recommend'], { TICKETMOA_DATA_DIR: dir, TICKETMOA_NOW: NOW });
    expect(built.code, built.stderr).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('when runs are imported while it serves, then each gets its list within a minute, asked for or not, and the request only queues the work', async () => {
    server = await startServerProcess({ ...env, TICKETMOA_DATA_DIR: dir });
    const asked = makeRun({ _id: 'b00000000000000000000001', title: '겨울 밤 피아노 콘서트', start_date: '2026.12.01', region: '서울' });
    const unasked = makeRun({ _id: 'b00000000000000000000002', title: '크리스마스 재즈 콘서트', start_date: '2026.12.03', region: '서울' });
    const file = path.join(dir, 'new-runs.json');
    writeFileSync(file, JSON.stringify([asked, unasked]));
    const imported = await runTicketmoa(['import', file], { TICKETMOA_DATA_DIR: dir, TICKETMOA_NOW: NOW });
    expect(imported.code, imported.stderr).toBe(0);
    const answer = async () => {
      const res = await fetch(`${server!.url}/recommendation/${asked._id}`);
      return res.status === 200 ? ((await res.json()) as { id: string }[]) : undefined;
    };
    // Once the catalogue poll has seen the import, the run is known and answers at once, empty.
    let first: { id: string }[] | undefined;
    await until('the import is served', async () => (first = await answer()) !== undefined, 20_000, 100);
    // (unless a sweep was quicker than that request)
    if (stored(asked._id) === undefined) expect(first).toEqual([]);

    await until('the asked run has its list', () => stored(asked._id) !== undefined, 60_000, 200);
    await until('the run nobody asked for has its list', () => stored(unasked._id) !== undefined, 60_000, 200);
    expect(stored(asked._id)).toHaveLength(3);
    expect(stored(unasked._id)).toHaveLength(3);
    expect((await answer())!.map((r) => r.id)).toEqual(stored(asked._id));

    // In a job process, not in serve's own (its outcome is logged once the process has exited).
    await until('the pass is logged', () => server!.output().includes('"msg":"similar runs computed"'), 20_000, 100);
    const started = [...server.output().matchAll(/"pid":(\d+),[^\n]*"childPid":(\d+),"msg":"similar-runs job started in a child process"/g)];
    expect(started.length).toBeGreaterThan(0);
    for (const [, pid, child] of started) expect(child).not.toBe(pid);
  }, 150_000);
});
