import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqlite } from '../db/sqlite/connection.js';
import { createSqlitePerformanceStore } from '../features/catalog/sqlite-performance-store.js';
import { ImportService } from '../features/ingest/index.js';
import { createHttpKopisTransport } from '../features/kopis/http-kopis-transport.js';
import { createKopisClient, type KopisCallPolicy } from '../features/kopis/kopis-calls.js';
import { KopisSyncService, type SyncOptions } from '../features/kopis/kopis-sync.service.js';
import { createSqliteKopisSyncStore } from '../features/kopis/sqlite-kopis-sync-store.js';
import { manualClock, type Timer } from '../platform/clock.js';
import { createIdGenerator } from '../platform/ids.js';
import { FAKE_KOPIS_KEY, startFakeKopis, type FakeKopis } from './fake-kopis.js';
import { FIXTURE_NOW, type FakeKopisRun } from './kopis-fixtures.js';

/** A timer that never waits: pacing and backoff waits are recorded and move its time instead. */
export function instantTimer(): Timer & { sleeps: number[] } {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

/**
 * The connector wired as the container wires it (real HTTP to a fake KOPIS, SQLite stores, the
 * import path), with a manual clock and a timer that does not wait.
 */
export async function kopisHarness(runs: FakeKopisRun[], policy: Partial<KopisCallPolicy> & { timeoutMs?: number } = {}) {
  const fake: FakeKopis = await startFakeKopis(runs);
  const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-kopis-'));
  const db = openSqlite(path.join(dir, 'ticketmoa.db'));
  const clock = manualClock(FIXTURE_NOW);
  const ids = createIdGenerator(clock);
  const performances = createSqlitePerformanceStore(db, { clock });
  const store = createSqliteKopisSyncStore(db);
  const importService = new ImportService({ store: performances, ids });
  const timer = instantTimer();
  const client = createKopisClient({
    transport: createHttpKopisTransport({ baseUrl: fake.baseUrl, serviceKey: FAKE_KOPIS_KEY, timeoutMs: policy.timeoutMs ?? 2000 }),
    budget: store,
    clock,
    timer,
    policy: { ratePerSecond: 5, retries: 3, backoffMs: 1000, dailyBudget: 100_000, ...policy },
  });
  const service = new KopisSyncService({ client, store, writer: importService, clock, ids, defaultDays: 90 });
  return {
    fake,
    db,
    clock,
    timer,
    client,
    store,
    performances,
    importService,
    service,
    sync: (options: SyncOptions = {}) => service.sync(options, { progress: async () => {} }),
    close: async () => {
      await fake.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
