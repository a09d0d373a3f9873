import pg from 'pg';
import { sortedMigrations, type Migration } from '../migration.js';
import { postgresMigrations } from './migrations/index.js';

export type PgPool = pg.Pool;

export interface PostgresOptions {
  url: string;
  poolMax: number;
  /** How long opening a connection may take before the query waiting for it fails. */
  connectTimeoutMs?: number;
  /** The server cancels any statement running longer (PostgreSQL's statement_timeout). */
  statementTimeoutMs?: number;
}

/** Any fixed number: every instance of the service takes the same lock while it migrates. */
const MIGRATION_LOCK = 7_402_551_017;

/** Opens a connection pool and brings the schema up to date before returning it. */
export async function openPostgres(options: PostgresOptions): Promise<PgPool> {
  // Without timeouts a stalled server or a lock held elsewhere would freeze requests, jobs and
  // shutdown with no error at all.
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    statement_timeout: options.statementTimeoutMs ?? 60_000,
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener that
  // would crash the process, while the next query simply gets a fresh connection.
  pool.on('error', () => {});
  try {
    await migratePostgres(pool);
    return pool;
  } catch (err) {
    await pool.end();
    throw err;
  }
}

/**
 * Applies the pending migrations in one transaction. The advisory lock makes instances that
 * start at once take turns: the second one waits, then finds everything applied.
 */
export async function migratePostgres(pool: PgPool, list: readonly Migration[] = postgresMigrations): Promise<string[]> {
  const ran: string[] = [];
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ id: string }>('SELECT id FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.id));
    for (const m of sortedMigrations(list)) {
      if (applied.has(m.id)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (id) VALUES ($1)', [m.id]);
      ran.push(m.id);
    }
  });
  return ran;
}

/** Runs `work` on one pooled connection inside BEGIN/COMMIT, rolling back when it throws. */
export async function inTransaction<T>(pool: PgPool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw err;
  } finally {
    // A connection that cannot even roll back is discarded rather than reused.
    client.release(broken);
  }
}
