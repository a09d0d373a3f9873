import { describePerformanceStoreContract } from './performance-store.contract.js';
import { createMemoryPerformanceStore } from './memory-performance-store.js';
import { createSqlitePerformanceStore } from './sqlite-performance-store.js';
import { openSqlite } from '../../db/sqlite/connection.js';
import { fixedClock } from '../../platform/clock.js';

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
