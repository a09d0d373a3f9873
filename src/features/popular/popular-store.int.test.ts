import { describe } from 'vitest';
import { openPostgres } from '../../db/postgres/connection.js';
import { openSqlite } from '../../db/sqlite/connection.js';
import { postgresTestDatabase } from '../../test-support/postgres.js';
import { describePopularStoreContract } from './popular-store.contract.js';
import { createPostgresPopularStore } from './postgres-popular-store.js';
import { createSqlitePopularStore } from './sqlite-popular-store.js';

describePopularStoreContract('sqlite', async () => {
  const db = openSqlite(':memory:');
  return {
    store: createSqlitePopularStore(db),
    close: async () => {
      db.close();
    },
  };
});

const postgres = await postgresTestDatabase();
describe.skipIf(!postgres)('on PostgreSQL', () => {
  describePopularStoreContract('postgres', async () => {
    const pool = await openPostgres({ url: await postgres!.freshSchemaUrl(), poolMax: 2 });
    return { store: createPostgresPopularStore(pool), close: () => pool.end() };
  });
});
