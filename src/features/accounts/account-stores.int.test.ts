import { describe } from 'vitest';
import { openPostgres } from '../../db/postgres/connection.js';
import { openSqlite } from '../../db/sqlite/connection.js';
import { accountStoreContract, rateLimitStoreContract } from '../../test-support/account-store-contract.js';
import { postgresTestDatabase } from '../../test-support/postgres.js';
import { createPostgresAccountStore } from './postgres-account-store.js';
import { createPostgresRateLimitStore } from './postgres-rate-limit-store.js';
import { createSqliteAccountStore } from './sqlite-account-store.js';
import { createSqliteRateLimitStore } from './sqlite-rate-limit-store.js';

accountStoreContract('SQLite', async () => {
  const db = openSqlite(':memory:');
  return { store: createSqliteAccountStore(db), close: async () => void db.close() };
});

rateLimitStoreContract('SQLite', async () => {
  const db = openSqlite(':memory:');
  return { store: createSqliteRateLimitStore(db), close: async () => void db.close() };
});

const postgres = await postgresTestDatabase();
describe.skipIf(!postgres)('on PostgreSQL', () => {
  accountStoreContract('PostgreSQL', async () => {
    const pool = await openPostgres({ url: await postgres!.freshSchemaUrl(), poolMax: 2 });
    return { store: createPostgresAccountStore(pool), close: () => pool.end() };
  });
  rateLimitStoreContract('PostgreSQL', async () => {
    const pool = await openPostgres({ url: await postgres!.freshSchemaUrl(), poolMax: 2 });
    return { store: createPostgresRateLimitStore(pool), close: () => pool.end() };
  });
});
