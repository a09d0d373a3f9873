import { describe } from 'vitest';
import { openPostgres } from '../../db/postgres/connection.js';
import { openSqlite } from '../../db/sqlite/connection.js';
import { postgresTestDatabase } from '../../test-support/postgres.js';
import { createPostgresRecommendationStore } from './postgres-recommendation-store.js';
import { describeRecommendationStoreContract } from './recommendation-store.contract.js';
import { createSqliteRecommendationStore } from './sqlite-recommendation-store.js';

describeRecommendationStoreContract('sqlite', async () => {
  const db = openSqlite(':memory:');
  return {
    store: createSqliteRecommendationStore(db),
    close: async () => {
      db.close();
    },
  };
});

const postgres = await postgresTestDatabase();
describe.skipIf(!postgres)('on PostgreSQL', () => {
  describeRecommendationStoreContract('postgres', async () => {
    const pool = await openPostgres({ url: await postgres!.freshSchemaUrl(), poolMax: 2 });
    return { store: createPostgresRecommendationStore(pool), close: () => pool.end() };
  });
});
