import { describe, expect, it } from 'vitest';
import { describePerformanceStoreContract } from './performance-store.contract.js';
import { createMemoryPerformanceStore } from './memory-performance-store.js';
import { createSqlitePerformanceStore } from './sqlite-performance-store.js';
import { createPostgresPerformanceStore } from './postgres-performance-store.js';
import { openPostgres } from '../../db/postgres/connection.js';
import { openSqlite } from '../../db/sqlite/connection.js';
import { fixedClock } from '../../platform/clock.js';
import { postgresTestDatabase } from '../../test-support/postgres.js';
import { makeRun } from '../../test-support/runs.js';

describePerformanceStoreContract('memory', async () => ({
  store: createMemoryPerformanceStore(),
  close: async () => {},
}));

describePerformanceStoreContract('sqlite', async () => {
  const db = openSqlite(':memory:');
  return {
    store: createSqlitePerformanceStore(db, { clock: fixedClock('2026-11-27T03:00:00Z') }),
    close: async () => {
      db.close();
    },
  };
});

const postgres = await postgresTestDatabase();
describe.skipIf(!postgres)('on PostgreSQL', () => {
  const open = async () => {
    const pool = await openPostgres({ url: await postgres!.freshSchemaUrl(), poolMax: 2 });
    return {
      store: createPostgresPerformanceStore(pool, { clock: fixedClock('2026-11-27T03:00:00Z') }),
      close: () => pool.end(),
    };
  };
  describePerformanceStoreContract('postgres', open);

  // The ingest branch makes this part of the port's contract; move it there once both are merged.
  it('when runs of one batch hand their duplicate keys to each other, then the batch is written', async () => {
    const { store, close } = await open();
    try {
      const a = makeRun({ duplicatekey: 'key-a' });
      const b = makeRun({ duplicatekey: 'key-b' });
      await store.upsertMany([a, b]);
      await store.upsertMany([
        { ...a, duplicatekey: 'key-b' },
        { ...b, duplicatekey: 'key-a' },
      ]);
      expect((await store.findByDuplicateKeys(['key-a'])).map((r) => r._id)).toEqual([b._id]);
      expect((await store.findByDuplicateKeys(['key-b'])).map((r) => r._id)).toEqual([a._id]);
    } finally {
      await close();
    }
  });
});
