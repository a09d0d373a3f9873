import { openSqlite } from '../../db/sqlite/connection.js';
import { accountStoreContract, rateLimitStoreContract } from '../../test-support/account-store-contract.js';
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
