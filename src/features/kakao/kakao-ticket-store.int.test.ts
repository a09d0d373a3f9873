import { describe } from 'vitest';
import { openPostgres } from '../../db/postgres/connection.js';
import { openSqlite } from '../../db/sqlite/connection.js';
import { postgresTestDatabase } from '../../test-support/postgres.js';
import { describeKakaoTicketStoreContract } from './kakao-ticket-store.contract.js';
import { createPostgresKakaoTicketStore } from './postgres-kakao-ticket-store.js';
import { createSqliteKakaoTicketStore } from './sqlite-kakao-ticket-store.js';

describeKakaoTicketStoreContract('SQLite', async () => {
  const db = openSqlite(':memory:');
  return { store: createSqliteKakaoTicketStore(db), close: async () => void db.close() };
});

const postgres = await postgresTestDatabase();
describe.skipIf(!postgres)('on PostgreSQL', () => {
  describeKakaoTicketStoreContract('PostgreSQL', async () => {
    const pool = await openPostgres({ url: await postgres!.freshSchemaUrl(), poolMax: 8 });
    return { store: createPostgresKakaoTicketStore(pool), close: () => pool.end() };
  });
});
