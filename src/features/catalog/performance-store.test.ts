import { describe } from 'vitest';
import { describePerformanceStoreContract } from './performance-store.contract.js';
import { createMemoryPerformanceStore } from './memory-performance-store.js';
import { createSqlitePerformanceStore } from './sqlite-performance-store.js';
import { createPostgresPerformanceStore } from './postgres-performance-store.js';
import { openPostgres } from '../../db/postgres/connection.js';
import { openSqlite } from '../../db/sqlite/connection.js';
import { fixedClock } from '../../platform/clock.js';
import { postgresTestDatabase } from '../../test-support/postgres.js';

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
  describePerformanceStoreContract('postgres', async () => {
    const pool = await openPostgres({ url: await postgres!.freshSchemaUrl(), poolMax: 2 });
    return {
      store: createPostgresPerformanceStore(pool, { clock: fixedClock('2026-11-27T03:00:00Z') }),
      close: () => pool.end(),
    };
  });
});
