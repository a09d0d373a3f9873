import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, REPO_ROOT } from '../test-support/process.js';
import { until } from '../test-support/until.js';
import { startServerProcess, type ServerProcess } from '../test-support/server-process.js';

/** The frontend's transform of `Moa2026!x`, as docs/contract.md §2 gives it (not computed here). */
const TYPED = 'Moa2026!x';
const AS_THE_PAGE_SENDS_IT = 'MWU4MGQ0YzFjYTI4OGRhNjk2MjYzODg4NDE0ZTNkM2Y2Y2JmZjI5ZmRmY2UwYjM1ZjU1ODQ3MmIwOWNhNzgxNQ==';
const FAST_HASH = { ARGON2_MEMORY_KIB: '8192', ARGON2_TIME_COST: '1' };

/** `ticketmoa <args>` with `input` piped into standard input, in a folder without a .env. */
function ticketmoa(args: string[], dataDir: string, input: string) {
  const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/ticketmoa.js'), ...args], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', TICKETMOA_DATA_DIR: dataDir, ...FAST_HASH },
    input,
    encoding: 'utf8',
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

async function loginOver(server: ServerProcess, id: string, password: string) {
  const res = await fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id, password }),
  });
  return { status: res.status, body: (await res.json()) as { user_type?: string; username?: string } };
}

// util-linux's `script` gives the process a pseudo-terminal, as a person's shell would.
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

/** `ticketmoa create-admin <id>` on a terminal: types each of `lines` once its prompt is shown. */
async function onATerminal(id: string, dataDir: string, lines: [string, string]) {
  const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(REPO_ROOT, 'bin/ticketmoa.js'))} create-admin ${id}`;
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', TICKETMOA_DATA_DIR: dataDir, ...FAST_HASH },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await until(`the first prompt (output: ${out})`, () => out.includes(`Password for ${id}: `), 20_000);
  child.stdin.write(`${lines[0]}\r`);
  await until(`the second prompt (output: ${out})`, () => out.includes('The same password again: '), 20_000);
  child.stdin.write(`${lines[1]}\r`);
  const code = await exited;
  return { code, out };
}

describe('ticketmoa create-admin', () => {
  let dir: string;
  beforeAll(() => buildDist(), 120_000);
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-create-admin-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('with a piped password, then a serve on the same data dir', () => {
    let dataDir: string;
    let server: ServerProcess | undefined;
    afterAll(async () => server?.stop());

    it('when the password is piped in, then the account is created as an admin, and login with the transformed password answers user_type "1"', async () => {
      dataDir = path.join(dir, 'fresh');
      const made = ticketmoa(['create-admin', 'boss1', '--name', '관리자'], dataDir, `${TYPED}\n`);
      expect(made.code, made.stderr).toBe(0);
      expect(made.stdout).toContain(`created the admin account "boss1" (user_type 1) in the SQLite database ${path.join(dataDir, 'ticketmoa.db')}`);
      expect(made.stdout).toContain('/admin with this id and password');
      expect(made.stdout + made.stderr).not.toContain(TYPED);

      server = await startServerProcess({ TICKETMOA_DATA_DIR: dataDir, TICKETMOA_DEMO: '0', LOG_LEVEL: 'warn', ...FAST_HASH });
      const login = await loginOver(server, 'boss1', AS_THE_PAGE_SENDS_IT);
      expect(login).toMatchObject({ status: 200, body: { user_type: '1', username: '관리자' } });
      // What a curl with the typed password sends is not the password.
      expect((await loginOver(server, 'boss1', TYPED)).status).toBe(401);
    });

    it('when the id exists, then it says so, keeps the password, and says whether the one given is the account’s', () => {
      const same = ticketmoa(['create-admin', 'boss1'], dataDir, TYPED);
      expect(same.code, same.stderr).toBe(0);
      expect(same.stdout).toContain('the account "boss1" existed: it was already an admin (user_type 1)');
      expect(same.stdout).toContain('its password is the one given');

      const other = ticketmoa(['create-admin', 'boss1'], dataDir, 'another-password');
      expect(other.code).toBe(0);
      expect(other.stderr).toContain("the password given is not this account's, and was not set");
    });

    it('when a regular account exists, then create-admin makes it an admin at once, and --reset-password sets the password', async () => {
      const signup = await fetch(`${server!.url}/signup/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          username: '김모아',
          id: 'member1',
          pw: 'c2VjcmV0',
          email: '',
          phoneNumber: '',
          gender: 'F',
          birthday: '1995-03-14',
          agreeMarketing: 'false',
        }),
      });
      expect(signup.status).toBe(200);
      expect((await loginOver(server!, 'member1', 'c2VjcmV0')).body.user_type).toBe('0');

      const granted = ticketmoa(['create-admin', 'member1', '--reset-password'], dataDir, `${TYPED}\n`);
      expect(granted.code, granted.stderr).toBe(0);
      expect(granted.stdout).toContain('the account "member1" existed: it is now an admin (user_type 1)');
      expect(granted.stdout).toContain('its password is now the one given');
      expect(await loginOver(server!, 'member1', AS_THE_PAGE_SENDS_IT)).toMatchObject({ status: 200, body: { user_type: '1' } });
      expect((await loginOver(server!, 'member1', 'c2VjcmV0')).status).toBe(401);
    });
  });

  describe.skipIf(!hasScript)('on a terminal', () => {
    it('when the password is typed twice, then it is not shown, and the account is created', async () => {
      const dataDir = path.join(dir, 'terminal');
      const typed = await onATerminal('tty1', dataDir, [TYPED, TYPED]);
      expect(typed.code, typed.out).toBe(0);
      expect(typed.out).toContain('created the admin account "tty1"');
      expect(typed.out).not.toContain(TYPED);
    });

    it('when the two passwords differ, then it refuses and writes nothing', async () => {
      const dataDir = path.join(dir, 'terminal-differ');
      const typed = await onATerminal('tty2', dataDir, [TYPED, `${TYPED}?`]);
      expect(typed.code).not.toBe(0);
      expect(typed.out).toContain('the two passwords differ; nothing written');
      expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
    });
  });

  describe('bad input: a clear error, a non-zero exit, and nothing written', () => {
    it.each([
      { name: 'no id', args: ['create-admin'], input: `${TYPED}\n`, message: 'name the account id' },
      { name: 'an empty password', args: ['create-admin', 'boss2'], input: '', message: 'the password is empty' },
      { name: 'a line break only', args: ['create-admin', 'boss2'], input: '\n', message: 'the password is empty' },
      { name: 'a password of several lines', args: ['create-admin', 'boss2'], input: 'one\ntwo\n', message: 'the password must be one line' },
      { name: 'an id against the signup rules', args: ['create-admin', 'b!'], input: `${TYPED}\n`, message: 'id must be 4 to 15 letters or digits' },
      {
        name: 'an id of digits only',
        args: ['create-admin', '12345'],
        input: `${TYPED}\n`,
        message: 'id must be 4 to 15 letters or digits, with at least one letter',
      },
      {
        name: 'a name too long',
        args: ['create-admin', 'boss2', '--name', 'x'.repeat(31)],
        input: `${TYPED}\n`,
        message: '--name must be 1 to 30 characters',
      },
    ])('when given $name, then it refuses', ({ args, input, message }) => {
      const dataDir = path.join(dir, 'refused');
      const run = ticketmoa(args, dataDir, input);
      expect(run.code).not.toBe(0);
      expect(run.code).not.toBeNull();
      expect(run.stderr).toContain(message);
      expect(run.stdout).toBe('');
      expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
    });
  });
});
