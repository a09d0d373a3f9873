import { describe } from 'vitest';
import { openPostgres } from '../../db/postgres/connection.js';
import { openSqlite } from '../../db/sqlite/connection.js';
import { postgresTestDatabase } from '../../test-support/postgres.js';
import { createPostgresViewCountStore } from './postgres-view-count-store.js';
import { createSqliteViewCountStore } from './sqlite-view-count-store.js';
import { describeViewCountStoreContract } from './view-count-store.contract.js';

describeViewCountStoreContract('sqlite', async () => {
  const db = openSqlite(':memory:');
  return { store: createSqliteViewCountStore(db), close: async () => void db.close() };
});

const postgres = await postgresTestDatabase();
describe.skipIf(!postgres)('on PostgreSQL', () => {
  describeViewCountStoreContract('postgres', async () => {
    const pool = await openPostgres({ url: await postgres!.freshSchemaUrl(), poolMax: 2 });
    return { store: createPostgresViewCountStore(pool), close: () => pool.end() };
  });
});
