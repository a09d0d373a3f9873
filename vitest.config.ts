import { defineConfig } from 'vitest/config';

/**
 * Three tiers, told apart by the file name:
 *
 * - `*.test.ts`: **unit**. Rules in memory (temp files at most): no database, server, broker,
 *   DuckDB, HTTP injection or child process. The whole tier runs in seconds (`npm run test:unit`).
 * - `*.int.test.ts`: **integration**. Real peers in this process: SQLite, PostgreSQL, the Kafka
 *   mock (kcat), an S3 server (s3rver), DuckDB, a fake Kakao, Fastify `app.inject`
 *   (`npm run test:int`).
 * - `*.process.test.ts`: **process**. Builds `dist` and starts real `ticketmoa` (or Node) processes:
 *   kill -9, several instances, locks across processes (`npm run test:process`).
 *
 * `npm test` runs every tier, then the engine tier (`*.engine.test.ts`: the image and compose on a
 * Docker engine), which has a configuration of its own (vitest.engine.config.ts).
 */
const INTEGRATION = 'src/**/*.int.test.ts';
const PROCESS = 'src/**/*.process.test.ts';
const ENGINE = 'src/**/*.engine.test.ts';

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      // Unit files share one module graph per worker thread (no isolation): they hold no state
      // between files, and it halves the tier's time. A test that mocks modules or stubs the
      // environment belongs to another tier.
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.test.ts'], exclude: [INTEGRATION, PROCESS, ENGINE], pool: 'threads', isolate: false },
      },
      { extends: true, test: { name: 'integration', include: [INTEGRATION] } },
      { extends: true, test: { name: 'process', include: [PROCESS] } },
    ],
  },
});
