import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/config.js';
import { login, signup } from '../../test-support/accounts.js';
import { startTestService, type TestService } from '../../test-support/app.js';
import { createContainer } from '../../container.js';
import { testBackends } from '../../test-support/backends.js';
import { GENERATED_SECRET_FILE, resolveJwtSecret } from './jwt-secret.js';

const backends = await testBackends();
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'ticketmoa-secret-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('JWT secret', () => {
  it('when NODE_ENV is production and JWT_SECRET is missing or short, then the configuration is refused', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short-secret' })).toThrow(/JWT_SECRET must be set to at least 32/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).auth.jwtSecret).toBe('x'.repeat(32));
  });

  it('when no secret is set outside production, then one is generated into the data dir (0600) and reused', () => {
    const dataDir = tempDir();
    const config = loadConfig({ TICKETMOA_DATA_DIR: dataDir });
    const first = resolveJwtSecret(config);
    expect(first.warning).toMatch(/generated a development secret/);
    const file = path.join(dataDir, GENERATED_SECRET_FILE);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = resolveJwtSecret(config);
    expect(second.secret).toBe(first.secret);
    expect(second.warning).toMatch(/using the development secret/);
  });

  it('when a secret is configured, then it is used and nothing is written', () => {
    const dataDir = tempDir();
    const secret = 's'.repeat(40);
    expect(resolveJwtSecret(loadConfig({ TICKETMOA_DATA_DIR: dataDir, JWT_SECRET: secret }))).toEqual({ secret });
    expect(() => statSync(path.join(dataDir, GENERATED_SECRET_FILE))).toThrow();
  });

  for (const backend of backends) {
    describe.skipIf(backend.env === undefined)(`across restarts on ${backend.name}`, () => {
      let svc: TestService | undefined;
      afterEach(async () => svc?.close());

      it('when the service restarts on the same data dir, then earlier tokens still identify the user', async () => {
        svc = await startTestService(await backend.env!());
        await signup(svc);
        const { refresh_token } = (await login(svc)).json();
        const restarted = await createContainer(svc.container.config);
        const app = await restarted.buildHttp();
        try {
          const res = await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token } });
          expect(res.statusCode).toBe(200);
        } finally {
          await app.close();
          await restarted.close();
        }
      });

      it('when the secret changes, then earlier tokens stop working', async () => {
        const env = { ...(await backend.env!()), JWT_SECRET: 'a'.repeat(32) };
        svc = await startTestService(env);
        await signup(svc);
        const { refresh_token } = (await login(svc)).json();
        const other = await createContainer(loadConfig({ ...env, TICKETMOA_DATA_DIR: svc.dataDir, LOG_LEVEL: 'silent', JWT_SECRET: 'b'.repeat(32) }));
        const app = await other.buildHttp();
        try {
          const res = await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token } });
          expect(res.statusCode).toBe(401);
        } finally {
          await app.close();
          await other.close();
        }
      });
    });
  }
});
