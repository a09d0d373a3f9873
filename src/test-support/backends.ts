import type { Env } from '../config/config.js';
import { postgresTestDatabase } from './postgres.js';

export interface TestBackend {
  name: 'sqlite' | 'postgres';
  /** Environment for `startTestService` on a clean database; undefined when the backend is unavailable here. */
  env: (() => Promise<Env>) | undefined;
}

/**
 * Every database backend a suite should run on. Call once at the top level of a test file: the
 * PostgreSQL one gets a fresh database for the file (see postgresTestDatabase).
 */
export async function testBackends(): Promise<TestBackend[]> {
  const postgres = await postgresTestDatabase();
  return [
    { name: 'sqlite', env: async () => ({}) },
    {
      name: 'postgres',
      env: postgres ? async () => ({ DATABASE_URL: await postgres.freshSchemaUrl() }) : undefined,
    },
  ];
}
