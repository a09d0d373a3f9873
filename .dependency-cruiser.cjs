// dependency-cruiser: the layering rules of the architecture notes, checked by `npm run check`
// (`depcruise src`). src/check/dependency-rules.test.ts proves each rule reports a forbidden import.

/** Test code: Vitest files, shared contract suites and the test helpers (and this gate's own test). */
const TEST_CODE = ['[.]test[.]ts$', '[.]contract[.]ts$', '^src/test-support/', '^src/check/'];

/** Fastify, SQL drivers and SDKs, resolved into node_modules or (when not installed) as bare names. */
const INFRASTRUCTURE_PACKAGES = '(fastify|@fastify/[^/]+|better-sqlite3|pg|kysely|kafkajs|@aws-sdk/[^/]+|hyparquet[^/]*)';
const INFRASTRUCTURE = [
  `(^|/)node_modules/${INFRASTRUCTURE_PACKAGES}(/|$)`,
  `^${INFRASTRUCTURE_PACKAGES}(/|$)`,
  // Our own layers that wrap them: the SQL connections and the HTTP (Fastify) layer.
  '^src/db/',
  '^src/http/',
];

/**
 * Files of a feature that may touch infrastructure: adapters (named for what they adapt to),
 * routes, the feature's index (which exports its adapters' factories), and tests.
 */
const FEATURE_EDGE = ['/(postgres|sqlite|memory|http|s3|kafka|local|parquet|duckdb)-[^/]+[.]ts$', '[.]routes[.]ts$', '/index[.]ts$', ...TEST_CODE];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'feature-internals',
      severity: 'error',
      comment:
        "Features talk to each other through their index.ts, not each other's internals: " +
        'import from src/features/<other>/index.ts (and export what you need from there).',
      from: { path: '^src/features/([^/]+)/' },
      to: {
        path: '^src/features/[^/]+/',
        pathNot: ['^src/features/$1/', '^src/features/[^/]+/index[.]ts$'],
      },
    },
    {
      name: 'services-stay-pure',
      severity: 'error',
      comment:
        'Services (and the other rule-holding files of a feature: *.service.ts, *.job.ts, rules.ts, ports, …) ' +
        'never import Fastify, SQL drivers or SDKs, nor src/db or src/http: put that code in an adapter ' +
        '(postgres-*.ts, sqlite-*.ts, http-*.ts, …) or a *.routes.ts file and inject it through a port.',
      from: { path: '^src/features/[^/]+/', pathNot: FEATURE_EDGE },
      to: { path: INFRASTRUCTURE },
    },
    {
      name: 'features-use-the-pipeline-entry',
      severity: 'error',
      comment:
        'Features use the event pipeline through src/pipeline/index.ts (event types, the lake port, the one lake ' +
        'reader and key layout), never its internals: the composition root builds the pipeline.',
      from: { path: '^src/features/' },
      to: { path: '^src/pipeline/', pathNot: '^src/pipeline/index[.]ts$' },
    },
    {
      name: 'adapters-only-in-the-root',
      severity: 'error',
      comment:
        'Only the composition root (src/container.ts, src/databases.ts, src/composition/) picks adapters: ' +
        'other code gets ports injected. Adapters are the SQL/HTTP/memory stores of features and the ' +
        'lake and bus implementations of the pipeline; a feature index may re-export its own for the root.',
      from: {
        path: '^src/',
        pathNot: [
          '^src/container[.]ts$',
          '^src/databases[.]ts$',
          '^src/composition/',
          '^src/bench/',
          '^src/features/[^/]+/index[.]ts$',
          '^src/pipeline/index[.]ts$',
          ...TEST_CODE,
        ],
      },
      to: {
        path: [
          '^src/features/[^/]+/(postgres|sqlite|memory|http)-[^/]+[.]ts$',
          '^src/pipeline/lake/(local|s3|memory)-lake[.]ts$',
          '^src/pipeline/event-bus/(embedded|kafka)-bus[.]ts$',
        ],
      },
    },
    {
      name: 'platform-is-a-leaf',
      severity: 'error',
      comment: 'src/platform/ holds cross-cutting ports and defaults; it imports nothing of ours outside itself.',
      from: { path: '^src/platform/' },
      to: { path: '^src/', pathNot: '^src/platform/' },
    },
    {
      name: 'pipeline-not-to-features',
      severity: 'error',
      comment:
        'The event pipeline knows nothing of features: features depend on pipeline ports, never the other way ' +
        '(the composition root wires them together).',
      from: { path: '^src/pipeline/', pathNot: TEST_CODE },
      to: { path: '^src/features/' },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      comment:
        'Non-test code imports no test files, contract suites or src/test-support/ ' + '(they are not built, and they would ship test dependencies).',
      from: { pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'This import closes a cycle. Break it by moving the shared piece down a layer or by dependency ' +
        'inversion (a port the lower module owns).',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    // Type-only imports couple modules too (a service importing `type FastifyRequest` is bound to Fastify).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.cjs', '.mjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
