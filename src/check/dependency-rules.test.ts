import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Runs the project's own .dependency-cruiser.cjs over a small fixture tree laid out like src/,
// so each layering rule is shown to report the import it forbids and to allow the ones it should.

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Fixture files: path → source. Every import says whether the rules allow it. */
const FIXTURE: Record<string, string> = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true },
    include: ['src/**/*.ts'],
  }),
  // A stand-in for an installed infrastructure package, so it resolves like the real one.
  'node_modules/fastify/package.json': JSON.stringify({ name: 'fastify', version: '5.0.0', main: 'fastify.js' }),
  'node_modules/fastify/fastify.js': 'module.exports = {};\n',

  'src/platform/clock.ts': "import type { Config } from '../config/config.js'; // forbidden: platform is a leaf\nexport type Clock = Config;\n",
  'src/platform/ids.ts': "import type { Clock } from './clock.js'; // allowed: inside platform\nexport type Ids = Clock;\n",
  'src/config/config.ts': 'export type Config = { port: number };\n',
  'src/db/connection.ts': 'export const connect = (): number => 1;\n',

  'src/features/catalog/index.ts': "export { search } from './catalog.service.js';\n",
  'src/features/catalog/catalog.service.ts': 'export const search = (): number => 1;\n',
  'src/features/catalog/performance-store.contract.ts': 'export const contract = (): number => 1;\n',

  'src/features/accounts/index.ts': "export { login } from './account.service.js';\n",
  'src/features/accounts/account.service.ts': [
    "import { search } from '../catalog/index.js'; // allowed: another feature's index",
    "import { search as internal } from '../catalog/catalog.service.js'; // forbidden: another feature's internals",
    "import type { FastifyInstance } from 'fastify'; // forbidden: a service imports Fastify",
    "import { connect } from '../../db/connection.js'; // forbidden: a service imports the SQL layer",
    "import type { Ids } from '../../platform/ids.js'; // allowed",
    'export const login = (ids?: Ids, app?: FastifyInstance): number => search() + internal() + connect() + (ids && app ? 1 : 0);',
    '',
  ].join('\n'),
  'src/features/accounts/postgres-account-store.ts':
    "import { connect } from '../../db/connection.js'; // allowed: an adapter\nexport const store = connect;\n",
  'src/features/accounts/account.routes.ts':
    "import type { FastifyInstance } from 'fastify'; // allowed: routes\nimport { login } from './account.service.js';\nexport const routes = (app: FastifyInstance): number => login() + (app ? 1 : 0);\n",
  'src/features/accounts/accounts.test.ts':
    "import { contract } from '../catalog/performance-store.contract.js'; // forbidden: tests too go through the index\nimport { helper } from '../../test-support/helper.js'; // allowed: test code\nexport const t = contract() + helper();\n",

  'src/pipeline/bus.ts': "import { login } from '../features/accounts/index.js'; // forbidden: pipeline → features\nexport const bus = login;\n",
  'src/pipeline/index.ts': "export { reader } from './lake/reader.js';\n",
  'src/pipeline/lake/reader.ts': 'export const reader = (): number => 1;\n',
  'src/features/catalog/catalog.events.ts': [
    "import { reader } from '../../pipeline/index.js'; // allowed: the pipeline's entry",
    "import { reader as internal } from '../../pipeline/lake/reader.js'; // forbidden: pipeline internals",
    'export const events = (): number => reader() + internal();',
    '',
  ].join('\n'),
  'src/cli/seed.ts': "import { helper } from '../test-support/helper.js'; // forbidden: production → test-support\nexport const seed = helper;\n",
  'src/cli/a.ts': "import { b } from './b.js'; // forbidden: a cycle\nexport const a = (): number => b();\n",
  'src/cli/b.ts': "import { a } from './a.js'; // forbidden: a cycle\nexport const b = (): number => a();\n",
  'src/features/catalog/sqlite-performance-store.ts': 'export const sqliteStore = (): number => 1;\n',
  'src/container.ts':
    "import { sqliteStore } from './features/catalog/sqlite-performance-store.js'; // allowed: the root picks adapters\nexport const root = sqliteStore;\n",
  'src/cli/import.ts':
    "import { sqliteStore } from '../features/catalog/sqlite-performance-store.js'; // forbidden: a command picks an adapter\nexport const run = sqliteStore;\n",
  'src/test-support/helper.ts': 'export const helper = (): number => 1;\n',
};

let root: string;
let result: ICruiseResult;

function violations(rule: string): string[] {
  return result.summary.violations
    .filter((v) => v.rule.name === rule)
    .map((v) => `${v.from} → ${v.to}`)
    .sort();
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ticketmoa-depcruise-'));
  for (const [path, text] of Object.entries(FIXTURE)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  const options = await extractDepcruiseOptions(join(REPO, '.dependency-cruiser.cjs'));
  const tsConfig = extractTSConfig(join(root, 'tsconfig.json'));
  const reported = await cruise(['src'], { ...options, baseDir: root, tsConfig: { fileName: join(root, 'tsconfig.json') } }, {}, { tsConfig });
  if (typeof reported.output === 'string') throw new Error('expected a cruise result, got formatted output');
  result = reported.output;
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the dependency rules of .dependency-cruiser.cjs', () => {
  it('when a feature imports another feature’s internals, then feature-internals reports it (its index.ts is fine)', () => {
    expect(violations('feature-internals')).toEqual([
      'src/features/accounts/account.service.ts → src/features/catalog/catalog.service.ts',
      'src/features/accounts/accounts.test.ts → src/features/catalog/performance-store.contract.ts',
    ]);
  });

  it('when a service imports Fastify or the SQL layer, then services-stay-pure reports it, but not for adapters and routes', () => {
    expect(violations('services-stay-pure')).toEqual([
      'src/features/accounts/account.service.ts → node_modules/fastify/fastify.js',
      'src/features/accounts/account.service.ts → src/db/connection.ts',
    ]);
  });

  it('when a feature imports pipeline internals, then features-use-the-pipeline-entry reports it (src/pipeline/index.ts is fine)', () => {
    expect(violations('features-use-the-pipeline-entry')).toEqual(['src/features/catalog/catalog.events.ts → src/pipeline/lake/reader.ts']);
  });

  it('when code outside the composition root imports an adapter, then adapters-only-in-the-root reports it', () => {
    expect(violations('adapters-only-in-the-root')).toEqual(['src/cli/import.ts → src/features/catalog/sqlite-performance-store.ts']);
  });

  it('when platform/ imports anything of ours outside platform/, then platform-is-a-leaf reports it', () => {
    expect(violations('platform-is-a-leaf')).toEqual(['src/platform/clock.ts → src/config/config.ts']);
  });

  it('when the pipeline imports a feature, then pipeline-not-to-features reports it', () => {
    expect(violations('pipeline-not-to-features')).toEqual(['src/pipeline/bus.ts → src/features/accounts/index.ts']);
  });

  it('when production code imports test code, then no-test-code-in-production reports it, but tests may', () => {
    expect(violations('no-test-code-in-production')).toEqual(['src/cli/seed.ts → src/test-support/helper.ts']);
  });

  it('when two modules import each other, then no-circular reports the cycle', () => {
    // A cycle is reported once, on the first of its edges that the cruise meets.
    expect(violations('no-circular')).toEqual(['src/cli/a.ts → src/cli/b.ts']);
  });

  it('reports nothing but the forbidden imports above', () => {
    expect(result.summary.violations).toHaveLength(10);
    expect(result.summary.error).toBe(10);
  });
});
