import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDist, REPO_ROOT } from '../test-support/process.js';

/** A Node process that logs one line through the service's logger, as every command does. */
const LOG_ONE_LINE = `import(${JSON.stringify(path.join(REPO_ROOT, 'dist/platform/logger.js'))}).then((m) => m.createLogger('info', process.env.LOG_FORMAT).info({ runs: 3 }, 'catalogue loaded'))`;
const env = (format: string) => ({ PATH: process.env.PATH ?? '', LOG_FORMAT: format });

// util-linux's `script` gives the process a pseudo-terminal, as a person's shell would.
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

describe('logs for people and for machines', () => {
  beforeAll(() => buildDist(), 120_000);

  it('when stdout is a pipe, then each line is JSON', () => {
    const run = spawnSync(process.execPath, ['-e', LOG_ONE_LINE], { env: env('auto'), encoding: 'utf8' });
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ level: 30, msg: 'catalogue loaded', runs: 3 });
  });

  it.skipIf(!hasScript)('when stdout is a terminal, then the line is readable text with its level, time and fields', () => {
    const command = `${JSON.stringify(process.execPath)} -e ${JSON.stringify(LOG_ONE_LINE).replace(/\$/g, '\\$')}`;
    const run = spawnSync('script', ['-qec', command, '/dev/null'], { env: env('auto'), encoding: 'utf8' });
    const text = run.stdout.replace(/\u001b\[[0-9;]*m/g, ''); // colours off for the comparison
    expect(text).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: catalogue loaded\r?\n\s+runs: 3/m);
    expect(text).not.toContain('"level"');
  });

  it('when LOG_FORMAT=pretty, then the text comes even through a pipe', () => {
    const run = spawnSync(process.execPath, ['-e', LOG_ONE_LINE], { env: env('pretty'), encoding: 'utf8' });
    expect(run.stdout).toContain('INFO');
    expect(run.stdout).toContain('catalogue loaded');
    expect(run.stdout).not.toContain('"level"');
  });
});
