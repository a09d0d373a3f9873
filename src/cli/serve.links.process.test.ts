import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { createContainer } from '../container.js';
import type { Performance } from '../features/catalog/index.js';
import { makeRun } from '../test-support/runs.js';
import { buildDist, startServerProcess } from '../test-support/server-process.js';

const NOW = '2026-11-27T10:00:00+09:00';
const poisoned = (n: number) =>
  makeRun({
    _id: `eeeeeeeeeeeeeeeeeeee000${n}`,
    title: `옛 링크 공연 ${n}`,
    poster_url: 'javascript:alert(document.cookie)',
    hosts: [{ site_id: 1, ticket_url: 'javascript:alert(1)' }],
  });

describe('serve on a database whose runs hold links stored before imports checked them', () => {
  let dataDir: string;
  const env = () => ({ TICKETMOA_DATA_DIR: dataDir, TICKETMOA_NOW: NOW, TICKETMOA_DEMO: '0', POPULAR_INTERVAL: 'off', RECOMMEND_INTERVAL: 'off' });
  /** Writes runs as an older version's import did, straight into the store. */
  async function store(runs: Performance[]) {
    const container = await createContainer(loadConfig({ ...env(), LOG_LEVEL: 'silent' }));
    try {
      await container.stores.performances.upsertMany(runs);
    } finally {
      await container.close();
    }
  }
  async function detailOnStart(id: string): Promise<{ data: Record<string, unknown>; output: string }> {
    const server = await startServerProcess(env());
    try {
      const res = await fetch(`${server.url}/detail/${id}`);
      return { data: ((await res.json()) as { data: Record<string, unknown> }).data, output: server.output() };
    } finally {
      await server.stop();
    }
  }

  beforeAll(() => {
    buildDist();
    dataDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-serve-links-'));
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('when it starts the first time, then it blanks them before serving; later starts do not read the catalogue again', async () => {
    await store([poisoned(1)]);
    const first = await detailOnStart(poisoned(1)._id);
    expect(first.data).toMatchObject({ title: '옛 링크 공연 1', poster_url: null, hosts: [{ site_id: 1, ticket_url: null }] });
    expect(first.output).toContain('blanked an unsafe stored link');
    expect(first.output).toContain('checked the stored links once for this database');

    // only an older version could still store one: the check is done for this database
    await store([poisoned(2)]);
    const second = await detailOnStart(poisoned(2)._id);
    expect(second.data.poster_url).toBe('javascript:alert(document.cookie)');
    expect(second.output).not.toContain('checked the stored links');
  }, 120_000);
});
