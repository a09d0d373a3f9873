import { describe } from 'vitest';
import { openPostgres } from '../../db/postgres/connection.js';
import { openSqlite } from '../../db/sqlite/connection.js';
import { postgresTestDatabase } from '../../test-support/postgres.js';
import { describeJobLeaseStoreContract } from './job-lease-store.contract.js';
import { createPostgresJobLeaseStore } from './postgres-job-lease-store.js';
import { createSqliteJobLeaseStore } from './sqlite-job-lease-store.js';

describeJobLeaseStoreContract('sqlite', async () => {
  const db = openSqlite(':memory:');
  return { store: createSqliteJobLeaseStore(db), close: async () => void db.close() };
});

const postgres = await postgresTestDatabase();
describe.skipIf(!postgres)('on PostgreSQL', () => {
  describeJobLeaseStoreContract('postgres', async () => {
    const pool = await openPostgres({ url: await postgres!.freshSchemaUrl(), poolMax: 4 });
    return { store: createPostgresJobLeaseStore(pool), close: () => pool.end() };
  });
});
