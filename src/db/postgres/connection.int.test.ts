import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresTestDatabase } from '../../test-support/postgres.js';
import type { Migration } from '../migration.js';
import { migratePostgres, openPostgres, type PgPool } from './connection.js';
import { postgresMigrations } from './migrations/index.js';

const postgres = await postgresTestDatabase();

describe.skipIf(!postgres)('PostgreSQL migrations', () => {
  const pools: PgPool[] = [];
  const pool = async (url: string) => {
    const p = await openPostgres({ url, poolMax: 2 });
    pools.push(p);
    return p;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.end()));
  });
  const tables = async (p: PgPool) =>
    (await p.query<{ t: string }>('SELECT tablename AS t FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1')).rows.map((r) => r.t);

  it('when two instances start at once on an empty database, then both come up and each migration runs once', async () => {
    const url = await postgres!.freshSchemaUrl();
    const [a, b] = await Promise.all([pool(url), pool(url)]);
    expect(await tables(a)).toContain('performances');
    const { rows } = await b.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual(postgresMigrations.map((m) => m.id));
  });

  it('when migrations race on one database, then exactly one instance applies them and the other finds them done', async () => {
    const url = await postgres!.freshSchemaUrl();
    const a = await pool(url);
    const extra: Migration[] = [...postgresMigrations, { id: '9001_extra', sql: 'CREATE TABLE extra (id integer)' }];
    const results = await Promise.all([migratePostgres(a, extra), migratePostgres(a, extra)]);
    expect(results.map((r) => r.length).sort()).toEqual([0, 1]);
    expect(await migratePostgres(a, extra)).toEqual([]);
  });

  it('when a migration fails, then none of the pending ones is applied', async () => {
    const url = await postgres!.freshSchemaUrl();
    const a = await pool(url);
    const broken: Migration[] = [
      ...postgresMigrations,
      { id: '9001_fine', sql: 'CREATE TABLE fine (id integer)' },
      { id: '9002_broken', sql: 'CREATE TABLE broken (id no_such_type)' },
    ];
    await expect(migratePostgres(a, broken)).rejects.toThrow(/no_such_type/);
    expect(await tables(a)).not.toContain('fine');
    const { rows } = await a.query<{ id: string }>('SELECT id FROM schema_migrations');
    expect(rows.map((r) => r.id)).not.toContain('9001_fine');
  });

  it('when a statement runs past the statement timeout, then PostgreSQL cancels it with an error', async () => {
    const p = await openPostgres({ url: await postgres!.freshSchemaUrl(), poolMax: 1, statementTimeoutMs: 200 });
    pools.push(p);
    const started = performance.now();
    await expect(p.query('SELECT pg_sleep(5)')).rejects.toThrow(/statement timeout/);
    expect(performance.now() - started).toBeLessThan(3000);
    expect((await p.query<{ ok: number }>('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
  });
});

describe('opening PostgreSQL on a server that never answers', () => {
  it('when the connect timeout passes, then opening fails instead of hanging', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const started = performance.now();
      await expect(openPostgres({ url: `postgres://x@127.0.0.1:${port}/x`, poolMax: 1, connectTimeoutMs: 300 })).rejects.toThrow(/timeout/i);
      expect(performance.now() - started).toBeLessThan(3000);
    } finally {
      silent.close();
    }
  });
});
