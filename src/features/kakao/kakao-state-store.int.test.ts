import { describe } from 'vitest';
import { openPostgres } from '../../db/postgres/connection.js';
import { openSqlite } from '../../db/sqlite/connection.js';
import { postgresTestDatabase } from '../../test-support/postgres.js';
import { describeKakaoStateStoreContract } from './kakao-state-store.contract.js';
import { createPostgresKakaoStateStore } from './postgres-kakao-state-store.js';
import { createSqliteKakaoStateStore } from './sqlite-kakao-state-store.js';

describeKakaoStateStoreContract('SQLite', async () => {
  const db = openSqlite(':memory:');
  return { store: createSqliteKakaoStateStore(db), close: async () => void db.close() };
});

const postgres = await postgresTestDatabase();
describe.skipIf(!postgres)('on PostgreSQL', () => {
  describeKakaoStateStoreContract('PostgreSQL', async () => {
    const pool = await openPostgres({ url: await postgres!.freshSchemaUrl(), poolMax: 8 });
    return { store: createPostgresKakaoStateStore(pool), close: () => pool.end() };
  });
});
