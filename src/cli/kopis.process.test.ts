import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../db/sqlite/connection.js';
import { addDays } from '../platform/kst.js';
import { FAKE_KOPIS_KEY, startFakeKopis, type FakeKopis } from '../test-support/fake-kopis.js';
import { FIXTURE_NOW, FIXTURE_TODAY, kopisFixtureRuns } from '../test-support/kopis-fixtures.js';
import { startTicketmoa } from '../test-support/process.js';
import { buildDist, runTicketmoa, startServerProcess, type ServerProcess } from '../test-support/server-process.js';
import { until } from '../test-support/until.js';

const fixtures = kopisFixtureRuns();
const LAST_DAY = addDays(FIXTURE_TODAY, 89);
const expected = fixtures.filter((r) => r.prfpdfrom <= LAST_DAY && r.prfpdto >= FIXTURE_TODAY);
// The sync's lease lasts 5 minutes: a sync resumed after a kill -9 comes later than that.
const LATER = '2026-11-25T10:06:00+09:00';

const detailIds = (fake: FakeKopis, from = 0) =>
  fake.requests
    .slice(from)
    .filter((r) => r.path.startsWith('/pblprfr/'))
    .map((r) => r.path.slice('/pblprfr/'.length));

describe('`ticketmoa kopis` as an operator runs it', () => {
  let fake: FakeKopis;
  let dir: string;
  let server: ServerProcess | undefined;
  const env = (now = FIXTURE_NOW) => ({
    TICKETMOA_DATA_DIR: dir,
    TICKETMOA_NOW: now,
    KOPIS_SERVICE_KEY: FAKE_KOPIS_KEY,
    KOPIS_BASE_URL: fake.baseUrl,
    KOPIS_RATE_PER_SECOND: '9',
    KOPIS_BACKOFF_MS: '50',
  });

  beforeAll(() => buildDist(), 180_000);
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => server?.stop());

  it('when a sync is killed with kill -9 midway, then the next one resumes: no duplicates, nothing committed fetched again', async () => {
    fake = await startFakeKopis(kopisFixtureRuns());
    fake.delayMs = 20;
    dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-kopis-'));
    const first = startTicketmoa(['kopis', 'sync'], env());
    await until('the sync has fetched 15 details', () => fake.calls('detail') >= 15 || first.proc.exitCode !== null, 60_000);
    first.proc.kill('SIGKILL');
    await first.exited;
    expect(fake.calls('detail')).toBeLessThan(expected.length);

    const db = openSqlite(path.join(dir, 'ticketmoa.db'));
    const committed = new Set((db.prepare('SELECT mt20id FROM kopis_runs').pluck().all() as string[]).filter(Boolean));
    db.close();
    expect(committed.size).toBeGreaterThan(0);
    const mark = fake.requests.length;

    const second = await runTicketmoa(['kopis', 'sync'], env(LATER));
    expect(second.code, second.stderr + second.stdout).toBe(0);
    expect(second.stdout).toMatch(/resumed sync/);
    // the not-a-TTY progress: plain lines
    expect(second.stdout).toMatch(/^kopis: step \d+\/3 page \d+: fetched/m);

    const again = detailIds(fake, mark);
    expect(again.filter((id) => committed.has(id))).toEqual([]);
    const all = detailIds(fake);
    expect(new Set(all)).toEqual(new Set(expected.map((r) => r.mt20id)));
    // at most the one detail in flight at the kill is asked twice
    expect(all.length - new Set(all).size).toBeLessThanOrEqual(1);

    const check = openSqlite(path.join(dir, 'ticketmoa.db'));
    const runs = check.prepare('SELECT count(*) FROM performances').pluck().get() as number;
    const linked = check.prepare('SELECT count(DISTINCT performance_id) FROM kopis_runs WHERE record_hash IS NOT NULL').pluck().get() as number;
    const pending = check.prepare('SELECT count(*) FROM kopis_runs WHERE pending IS NOT NULL').pluck().get() as number;
    check.close();
    expect(runs).toBe(expected.length);
    expect(linked).toBe(expected.length);
    expect(pending).toBe(0);

    // the box office cross-check, against what was just loaded
    fake.boxoffice = [expected[0]!.mt20id, 'PF000001'];
    fake.runs.push({ ...fixtures[0]!, mt20id: 'PF000001', prfnm: '카탈로그 밖 공연' });
    const box = await runTicketmoa(['kopis', 'boxoffice'], env(LATER));
    expect(box.code, box.stderr).toBe(0);
    expect(box.stdout).toContain('KOPIS box office 2026.11.18–2026.11.24');
    expect(box.stdout).toContain(`1. ${expected[0]!.prfnm} [${expected[0]!.mt20id}] (ours: not ranked)`);
    expect(box.stdout).toContain('2. 카탈로그 밖 공연 [PF000001] (not in catalogue)');
    expect(fake.requests.find((r) => r.path === '/boxoffice')?.params).toEqual({ stdate: '20261118', eddate: '20261124' });
  }, 120_000);

  it('when serve has a KOPIS key, then its daily schedule syncs the catalogue in a job process and the API serves the runs', async () => {
    fake = await startFakeKopis(kopisFixtureRuns());
    dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-kopis-'));
    server = await startServerProcess({
      ...env(),
      TICKETMOA_DEMO: '0',
      TICKETMOA_SINK: 'off',
      POPULAR_INTERVAL: 'off',
      RECOMMEND_INTERVAL: 'off',
      JWT_SECRET: 'kopis-serve-test-secret-0123456789abcdef',
    });
    await until('the kopis job has run', () => /"msg":"kopis job ran"/.test(server!.output()), 60_000);
    expect(server.output()).toMatch(/"msg":"kopis job started in a child process"/);
    // the sync's result in its log line and in the metrics: no record set aside; the key nowhere
    expect(server.output()).toMatch(/"recordProblems":\{"open":0,"givenUp":0\}/);
    expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(/^ticketmoa_kopis_records_set_aside\{state="open"\} 0$/m);
    expect(server.output()).not.toContain(FAKE_KOPIS_KEY);
    await until(
      'the API serves the synced runs',
      async () => ((await (await fetch(`${server!.url}/search`)).json()) as unknown[]).length === expected.length,
      10_000,
    );
    const [run] = (await (await fetch(`${server.url}/search?keyword=${encodeURIComponent('난타 상설공연')}`)).json()) as {
      id: string;
      end_date: string;
    }[];
    expect(run?.end_date).toBe('상시공연');
    const detail = (await (await fetch(`${server.url}/detail/${run!.id}`)).json()) as { data: Record<string, unknown> };
    expect(detail.data).not.toHaveProperty('schedule');
  }, 120_000);

  it('when no key is set, then the command says how to get one', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-kopis-'));
    fake = await startFakeKopis([]);
    const r = await runTicketmoa(['kopis', 'sync'], { TICKETMOA_DATA_DIR: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/KOPIS_SERVICE_KEY/);
    const bad = await runTicketmoa(['kopis', 'sync', '--region', '평양'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--region must be one of 서울/);
  });
});
