import { describe } from 'vitest';
import { openPostgres } from '../../db/postgres/connection.js';
import { openSqlite } from '../../db/sqlite/connection.js';
import { postgresTestDatabase } from '../../test-support/postgres.js';
import { describeKopisSyncStoreContract } from './kopis-sync-store.contract.js';
import { createPostgresKopisSyncStore } from './postgres-kopis-sync-store.js';
import { createSqliteKopisSyncStore } from './sqlite-kopis-sync-store.js';

describeKopisSyncStoreContract('sqlite', async () => {
  const db = openSqlite(':memory:');
  return { store: createSqliteKopisSyncStore(db), close: async () => void db.close() };
});

const postgres = await postgresTestDatabase();
describe.skipIf(!postgres)('on PostgreSQL', () => {
  describeKopisSyncStoreContract('postgres', async () => {
    const pool = await openPostgres({ url: await postgres!.freshSchemaUrl(), poolMax: 4 });
    return { store: createPostgresKopisSyncStore(pool), close: () => pool.end() };
  });
});
