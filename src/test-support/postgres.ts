import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';

/** The server's admin database; each test file gets its own database created from here. */
const ADMIN_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const inCi = process.env.CI === 'true';

export interface PostgresTestDatabase {
  /** URL of this test file's own, freshly created database. */
  readonly url: string;
  /**
   * A URL on the same database whose tables live in a new, empty schema: a clean slate for
   * one test without paying for another CREATE DATABASE.
   */
  freshSchemaUrl(): Promise<string>;
}

const withAdmin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

const urlWith = (base: string, database: string, schema?: string): string => {
  const u = new URL(base);
  u.pathname = `/${database}`;
  if (schema) u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
};

let warned = false;

/**
 * Call once at the top level of a test file (`const pg = await postgresTestDatabase()`): creates
 * a fresh database `tm_<random>` on PG_TEST_URL's server and drops it after the file. When the
 * server cannot be reached it resolves to undefined so the caller skips, except in CI
 * (CI=true), where it throws and fails the file.
 */
export async function postgresTestDatabase(): Promise<PostgresTestDatabase | undefined> {
  const name = `tm_${randomBytes(6).toString('hex')}`;
  try {
    await withAdmin(async (admin) => {
      const db = admin.escapeIdentifier(name);
      // A linguistic collation, as production servers often default to, so that tests notice
      // any ordering that silently depends on the server's locale. Plain when ICU is missing.
      await admin
        .query(`CREATE DATABASE ${db} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`)
        .catch(() => admin.query(`CREATE DATABASE ${db}`));
    });
  } catch (err) {
    const where = new URL(ADMIN_URL).host;
    const reason = `PostgreSQL at ${where} is not usable (${(err as Error).message})`;
    if (inCi) throw new Error(`${reason}; CI requires it (set PG_TEST_URL to point elsewhere)`);
    if (!warned) process.stderr.write(`\n  skipping PostgreSQL tests: ${reason}\n\n`);
    warned = true;
    return undefined;
  }
  afterAll(async () => {
    await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`));
  });
  const url = urlWith(ADMIN_URL, name);
  return {
    url,
    freshSchemaUrl: async () => {
      const schema = `s_${randomBytes(6).toString('hex')}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA ${client.escapeIdentifier(schema)}`);
      } finally {
        await client.end();
      }
      return urlWith(ADMIN_URL, name, schema);
    },
  };
}
