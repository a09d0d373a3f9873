// ESLint flat config: a focused, type-aware rule set for the house rules in the architecture notes.
// Each rule is here because it catches a bug class or enforces a written house rule. The broad
// `recommendedTypeChecked` + `stylisticTypeChecked` presets were measured and left out: 371
// findings in 76 files, mostly `require-await` on async methods that implement a port,
// `no-empty-function` on no-op fakes and `no-unsafe-*` in tests reading JSON responses.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const TEST_FILES = ['src/**/*.test.ts', 'src/**/*.contract.ts', 'src/test-support/**', 'src/check/**'];
const CONFIG_FILES = ['*.config.{js,cjs,mjs,ts}', '.dependency-cruiser.cjs'];

/** "Named exports, no default exports, string-literal unions rather than enums." */
const houseStyle = [
  {
    selector: 'TSEnumDeclaration',
    message: 'Use a string-literal union (type Kind = "a" | "b") instead of an enum.',
  },
  {
    selector: 'ExportDefaultDeclaration',
    message: 'Use a named export; the house style has no default exports.',
  },
  {
    selector: 'ExportSpecifier[exported.name="default"]',
    message: 'Use a named export; the house style has no default exports.',
  },
];

/** "Nothing outside platform/ and config/ reads process.env, Date.now() or makes random ids." */
const WALL_CLOCK = 'Take the time from an injected Clock (src/platform/clock.ts) so tests and TICKETMOA_NOW control it.';
const RANDOM_IDS = 'Make ids with an injected id generator (src/platform/ids.ts) so tests control them.';
const ENV = 'Read settings from the validated Config (src/config/); only config/ and platform/ read process.env.';
const ambientState = [
  { selector: 'NewExpression[callee.name="Date"][arguments.length=0]', message: WALL_CLOCK },
  { selector: 'CallExpression[callee.name="Date"]', message: WALL_CLOCK },
  {
    selector: 'MemberExpression[property.name=/^(randomUUID|randomBytes|randomInt|getRandomValues)$/]',
    message: RANDOM_IDS,
  },
];
const ambientProperties = [
  { object: 'process', property: 'env', message: ENV },
  { object: 'Date', property: 'now', message: WALL_CLOCK },
  { object: 'Math', property: 'random', message: RANDOM_IDS },
];
const CRYPTO_RANDOM = ['randomUUID', 'randomBytes', 'randomInt', 'getRandomValues'];
const ambientImports = {
  paths: [
    { name: 'node:crypto', importNames: CRYPTO_RANDOM, message: RANDOM_IDS },
    { name: 'crypto', importNames: CRYPTO_RANDOM, message: RANDOM_IDS },
    { name: 'node:process', importNames: ['env'], message: ENV },
    { name: 'process', importNames: ['env'], message: ENV },
  ],
};

export default defineConfig([
  globalIgnores(['dist/', 'data/', 'coverage/', 'bench-results/']),

  {
    linterOptions: {
      // A disable comment that silences nothing (a rule that is off, or no longer fires) is an error.
      reportUnusedDisableDirectives: 'error',
      reportUnusedInlineConfigs: 'error',
    },
  },

  // Plain JavaScript at the root and in bin/: ESLint's recommended set, Node globals.
  {
    files: ['**/*.{js,cjs,mjs}'],
    extends: [js.configs.recommended],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', URL: 'readonly', fetch: 'readonly', AbortSignal: 'readonly' },
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },

  // TypeScript, with type information from tsconfig.json.
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // An unawaited promise loses its errors (unhandled rejection) and its ordering.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      // An async callback where void is expected (setInterval, EventEmitter.on, …) drops rejections.
      '@typescript-eslint/no-misused-promises': 'error',
      // Awaiting something that is not a promise is always a mistake or a leftover.
      '@typescript-eslint/await-thenable': 'error',
      // A switch over a string-literal union must name every member (the point of the unions);
      // a `default:` does not excuse a missing member.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: false }],
      // `${obj}` or String(obj) on an object without toString prints "[object Object]".
      '@typescript-eslint/no-base-to-string': 'error',
      // verbatimModuleSyntax keeps type imports out of the emitted JS; say so in the source.
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: true },
      ],
    },
  },

  // House style everywhere in TypeScript and JavaScript, except config files whose tools need a default export.
  {
    files: ['**/*.{ts,js,cjs,mjs}'],
    // Tool configs must default-export; a .d.ts describes a third-party module as it is.
    ignores: [...CONFIG_FILES, '**/*.d.ts'],
    rules: { 'no-restricted-syntax': ['error', ...houseStyle] },
  },

  // Production code keeps `any` out: values from JSON, drivers and SDKs are narrowed (or
  // schema-checked) where they enter. Tests may poke at untyped payloads.
  {
    files: ['src/**/*.ts'],
    ignores: TEST_FILES,
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
    },
  },

  // Time, randomness and the environment come in through ports, except in platform/, config/,
  // tests and benchmarks (performance.now() for durations is fine everywhere).
  {
    files: ['src/**/*.ts'],
    ignores: ['src/platform/**', 'src/config/**', 'src/bench/**', ...TEST_FILES],
    rules: {
      'no-restricted-syntax': ['error', ...houseStyle, ...ambientState],
      'no-restricted-properties': ['error', ...ambientProperties],
      'no-restricted-imports': ['error', ambientImports],
    },
  },
]);
