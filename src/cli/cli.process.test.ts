import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, REPO_ROOT } from '../test-support/process.js';

/** `ticketmoa <args>` run from a folder without a .env, with only the settings given. */
function ticketmoa(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [path.join(REPO_ROOT, 'bin/ticketmoa.js'), ...args],
      { cwd: tmpdir(), env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env } },
      (_err, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

const filesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

describe('the ticketmoa command line', () => {
  let dir: string;
  beforeAll(() => buildDist(), 120_000);
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when asked for --version or -v, then it prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const run = await ticketmoa([flag]);
      expect(run).toMatchObject({ code: 0, stdout: `${version}\n` });
    }
  });

  it('when the command is unknown, then the error names it, the usage follows, and the exit code is not 0', async () => {
    const run = await ticketmoa(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^ticketmoa: unknown command "frobnicate"\n\nusage: ticketmoa <command>/);
    expect(run.stderr).toContain('create-admin');
  });

  describe('commands on existing data, where no database is yet', () => {
    it.each([
      ['grant-admin', 'newbie1'],
      ['revoke-admin', 'newbie1'],
      ['popular'],
      ['recommend'],
      ['repair-links'],
      ['repair-lake', '--dry-run'],
      ['outbox', 'set-aside'],
      ['kopis', 'boxoffice'],
    ])('when "%s" runs, then it says where it looked, exits 1 and creates nothing', async (...args) => {
      const dataDir = path.join(dir, `none-${args[0]}`);
      const run = await ticketmoa(args, { TICKETMOA_DATA_DIR: dataDir, KOPIS_SERVICE_KEY: 'a-key' });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain(`the SQLite database ${path.join(dataDir, 'ticketmoa.db')} (TICKETMOA_DATA_DIR ${dataDir}) does not exist`);
      expect(run.stderr).toContain('TICKETMOA_DATA_DIR or DATABASE_URL');
      expect(filesIn(dataDir)).toEqual([]);
    });
  });

  describe('on an existing database', () => {
    let env: Record<string, string>;
    let file: string;
    beforeAll(async () => {
      const dataDir = path.join(dir, 'existing');
      env = { TICKETMOA_DATA_DIR: dataDir };
      file = path.join(dataDir, 'ticketmoa.db');
      const seed = await ticketmoa(['seed', '--count', '1'], env);
      expect(seed.code, seed.stderr).toBe(0);
      expect(seed.stderr).toContain(`seed: using the SQLite database ${file} (TICKETMOA_DATA_DIR ${dataDir})`);
      expect(seed.stdout).toMatch(/^seed: 1 run from seed 1 /);
    });

    it('when grant-admin names an unknown id, then the error says which database it looked in', async () => {
      const run = await ticketmoa(['grant-admin', 'nobody1'], env);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`no account with id "nobody1" in the SQLite database ${file}`);
    });

    it('when a job command runs, then it says which database it uses', async () => {
      const run = await ticketmoa(['recommend'], env);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(`recommend: using the SQLite database ${file}`);
    });
  });

  it('when seed --help runs, then it says --count is optional with its default', async () => {
    const run = await ticketmoa(['seed', '--help']);
    expect(run.stdout).toContain('--count N  how many performance runs to generate (optional, default 1,000)');
  });

  it('when grant-admin --help runs, then it says the change takes effect at once', async () => {
    const run = await ticketmoa(['grant-admin', '--help']);
    expect(run.stdout).toContain('It takes effect at once');
    expect(run.stdout).not.toContain('next login');
  });
});
