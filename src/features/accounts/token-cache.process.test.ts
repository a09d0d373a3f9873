import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, signup } from '../../test-support/accounts.js';
import { startTestService, type TestService } from '../../test-support/app.js';
import { buildDist, startTicketmoa } from '../../test-support/process.js';
import { until } from '../../test-support/until.js';
import { AUTH_STALENESS_BOUND_MS } from './auth-changes.js';

/** Scheduling slack on a shared, loaded test machine, on top of the designed bound. */
const SLACK_MS = 500;
const JWT_SECRET = 'token-cache-process-secret-token-cache-process';

describe('verified-token cache and the grant-admin command (another process on the same SQLite file)', () => {
  let dir: string;
  let env: Record<string, string>;
  let svc: TestService;

  beforeAll(async () => {
    buildDist();
    dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-grant-'));
    env = { DATABASE_URL: `sqlite:${path.join(dir, 'shared.db')}`, JWT_SECRET, TICKETMOA_DATA_DIR: path.join(dir, 'cli'), LOG_LEVEL: 'warn' };
    svc = await startTestService({ DATABASE_URL: env.DATABASE_URL!, JWT_SECRET });
  });
  afterAll(async () => {
    await svc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (args: string[]) => {
    const cli = startTicketmoa(args, env);
    const code = await cli.exited;
    expect(code, cli.output()).toBe(0);
  };

  it(`when grant-admin and revoke-admin run as their own processes, then the serving instance's cached token follows within ${AUTH_STALENESS_BOUND_MS} ms`, async () => {
    await signup(svc, { id: 'grantee1', email: 'grantee1@example.com' });
    const token = ((await login(svc, 'grantee1')).json() as { access_token: string }).access_token;
    expect(await svc.container.accounts.authenticate(token)).toMatchObject({ admin: false });

    await run(['grant-admin', 'grantee1']);
    const granted = performance.now();
    await until(
      'the instance sees the admin',
      async () => (await svc.container.accounts.authenticate(token))?.admin === true,
      AUTH_STALENESS_BOUND_MS + SLACK_MS,
      10,
    );
    expect(performance.now() - granted).toBeLessThan(AUTH_STALENESS_BOUND_MS + SLACK_MS);

    await run(['revoke-admin', 'grantee1']);
    await until(
      'the instance sees the revoke',
      async () => (await svc.container.accounts.authenticate(token))?.admin === false,
      AUTH_STALENESS_BOUND_MS + SLACK_MS,
      10,
    );
  });
});
