import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestService, type TestService } from '../../test-support/app.js';
import { postgresTestDatabase } from '../../test-support/postgres.js';
import { makeRun } from '../../test-support/runs.js';

const NOW = '2026-11-27T10:00:00+09:00';
// Long enough that only the LISTEN/NOTIFY path can bring the other instance up to date.
const NO_POLL_MS = 3_600_000;
const WITHIN_SECONDS = { timeout: 5000, interval: 50 };

const postgres = await postgresTestDatabase();

describe.skipIf(!postgres)('two API instances on one PostgreSQL database', () => {
  let a: TestService;
  let b: TestService;
  const errors: unknown[] = [];

  beforeAll(async () => {
    const env = { DATABASE_URL: postgres!.url, TICKETMOA_NOW: NOW };
    [a, b] = await Promise.all([startTestService(env), startTestService(env)]);
    for (const svc of [a, b]) await svc.container.watchCatalog(NO_POLL_MS, (err) => errors.push(err));
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  const searchIds = async (svc: TestService, keyword: string): Promise<string[]> => {
    const res = await svc.app.inject({ method: 'GET', url: `/search?keyword=${encodeURIComponent(keyword)}` });
    return (res.json() as { id: string }[]).map((r) => r.id);
  };

  it('when one instance imports runs, then the other serves them in search and detail within seconds', async () => {
    const run = makeRun({ title: '레미제라블 내한공연' });
    expect(await searchIds(b, '레미제라블')).toEqual([]);
    expect((await b.app.inject({ method: 'GET', url: `/detail/${run._id}` })).statusCode).toBe(404);

    await a.container.stores.performances.upsertMany([run]);

    await vi.waitFor(async () => expect(await searchIds(b, '레미제라블')).toEqual([run._id]), WITHIN_SECONDS);
    const detail = await b.app.inject({ method: 'GET', url: `/detail/${run._id}` });
    expect(detail.statusCode).toBe(200);
    expect(detail.json().data.title).toBe('레미제라블 내한공연');
    // the writer hears its own notification too, independently of the other instance
    await vi.waitFor(async () => expect(await searchIds(a, '레미제라블')).toEqual([run._id]), WITHIN_SECONDS);
  });

  it('when the listening connection drops, then it reconnects and catches up on writes made meanwhile', async () => {
    const admin = new pg.Client({ connectionString: postgres!.url });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        // the catalogue's own listeners (each instance also listens for auth changes)
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN "catalog_changed"'`,
      );
      expect(rowCount).toBe(2);
    } finally {
      await admin.end();
    }
    const run = makeRun({ title: '오페라의 유령' });
    await a.container.stores.performances.upsertMany([run]);

    await vi.waitFor(async () => expect(await searchIds(b, '유령')).toEqual([run._id]), WITHIN_SECONDS);
  });
});
