import { defineConfig } from 'vitest/config';

/**
 * The engine tier (`*.engine.test.ts`, `npm run test:engine`, the last step of `npm test`): the
 * image built with `docker build .` and compose.yaml brought up, on a real Docker engine. The
 * global setup builds the image once (scripts/engine.sh build); the files then run one at a time,
 * since each starts containers that want the machine's two cores. Without an engine the files skip
 * with a message, except in CI (CI=true), where they fail.
 */
export default defineConfig({
  test: {
    name: 'engine',
    include: ['src/**/*.engine.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 600_000,
    globalSetup: ['src/test-support/engine-setup.ts'],
  },
});
