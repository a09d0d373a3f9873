import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe } from 'vitest';
import { openPostgres } from '../../db/postgres/connection.js';
import { openSqlite } from '../../db/sqlite/connection.js';
import { postgresTestDatabase } from '../../test-support/postgres.js';
import { describeLikeStoreContract } from './like-store.contract.js';
import { createPostgresLikeStore } from './postgres-like-store.js';
import { createSqliteLikeStore } from './sqlite-like-store.js';

// Two connections to one database file: what two processes sharing it have.
describeLikeStoreContract('SQLite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-likes-'));
  const [a, b] = [openSqlite(path.join(dir, 'db.sqlite')), openSqlite(path.join(dir, 'db.sqlite'))];
  return {
    store: createSqliteLikeStore(a, { pollMs: 20 }),
    other: createSqliteLikeStore(b, { pollMs: 20 }),
    close: async () => {
      a.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

const postgres = await postgresTestDatabase();
describe.skipIf(!postgres)('on PostgreSQL', () => {
  describeLikeStoreContract('PostgreSQL', async () => {
    const url = await postgres!.freshSchemaUrl();
    const [a, b] = await Promise.all([openPostgres({ url, poolMax: 8 }), openPostgres({ url, poolMax: 8 })]);
    return {
      store: createPostgresLikeStore(a, { url }),
      other: createPostgresLikeStore(b, { url }),
      close: async () => {
        await Promise.all([a.end(), b.end()]);
      },
    };
  });
});
