import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { createContainer, type Container } from '../../container.js';
import { openPostgres } from '../../db/postgres/connection.js';
import { openSqlite } from '../../db/sqlite/connection.js';
import { login, signup } from '../../test-support/accounts.js';
import { startTestService, type TestService } from '../../test-support/app.js';
import { postgresTestDatabase } from '../../test-support/postgres.js';
import { until } from '../../test-support/until.js';
import type { AccountStore } from './account.store.js';
import { AUTH_STALENESS_BOUND_MS } from './auth-changes.js';
import { createPostgresAccountStore } from './postgres-account-store.js';
import { createSqliteAccountStore } from './sqlite-account-store.js';

/** Scheduling slack on a shared, loaded test machine, on top of the designed bound. */
const SLACK_MS = 500;

interface Counting extends AccountStore {
  reads: { sessions: number; users: number };
}

function counting(store: AccountStore): Counting {
  const reads = { sessions: 0, users: 0 };
  return {
    ...store,
    reads,
    findSession: (id) => {
      reads.sessions += 1;
      return store.findSession(id);
    },
    findUser: (id) => {
      reads.users += 1;
      return store.findUser(id);
    },
  };
}

interface Backend {
  name: string;
  /** A database several instances share, and a separate account store on it (another connection). */
  open(): Promise<{ env: Record<string, string>; store: AccountStore; close(): Promise<void> } | undefined>;
}

const pgDb = await postgresTestDatabase();
/** Instances of one deployment share the signing secret. */
const JWT_SECRET = 'token-cache-test-secret-token-cache-test-secret';
const backends: Backend[] = [
  {
    name: 'SQLite (one file, several connections)',
    open: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-token-cache-'));
      const file = path.join(dir, 'shared.db');
      const db = openSqlite(file);
      return {
        env: { DATABASE_URL: `sqlite:${file}`, JWT_SECRET },
        store: createSqliteAccountStore(db),
        close: async () => {
          db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      if (!pgDb) return undefined;
      const url = await pgDb.freshSchemaUrl();
      const pool = await openPostgres({ url, poolMax: 2 });
      return { env: { DATABASE_URL: url, JWT_SECRET }, store: createPostgresAccountStore(pool), close: () => pool.end() };
    },
  },
];

for (const backend of backends) {
  describe.skipIf(backend.name === 'PostgreSQL' && !pgDb)(`verified-token cache across instances on ${backend.name}`, () => {
    let shared: NonNullable<Awaited<ReturnType<Backend['open']>>>;
    let a: TestService;
    let b: TestService;
    let bStore: Counting;
    /** A process that only writes (like `ticketmoa grant-admin`): no HTTP app, no cache. */
    let cli: Container;
    let cliDir: string;
    let n = 0;

    beforeAll(async () => {
      shared = (await backend.open())!;
      a = await startTestService(shared.env);
      bStore = counting(shared.store);
      b = await startTestService(shared.env, { stores: { accounts: bStore } });
      cliDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-cli-'));
      cli = await createContainer(loadConfig({ TICKETMOA_DATA_DIR: cliDir, LOG_LEVEL: 'silent', TICKETMOA_DEMO: '0', ...shared.env }));
    });
    afterAll(async () => {
      await cli?.close();
      if (cliDir) rmSync(cliDir, { recursive: true, force: true });
      await b?.close();
      await a?.close();
      await shared?.close();
    });
    afterEach(() => {
      bStore.reads.sessions = 0;
      bStore.reads.users = 0;
    });

    /** A new user, logged in on A: its access token. */
    const newUser = async (): Promise<{ id: string; token: string }> => {
      n += 1;
      const id = `cache${n}user`;
      await signup(a, { id, email: `${id}@example.com` });
      const res = await login(a, id);
      expect(res.statusCode).toBe(200);
      return { id, token: (res.json() as { access_token: string }).access_token };
    };
    const banner = (svc: TestService, token: string) =>
      svc.app.inject({ method: 'GET', url: '/banner', headers: { authorization: token } }).then((r) => r.statusCode);

    it('when one token makes 100 requests, then its session and user are read once', async () => {
      const { token } = await newUser();
      for (let i = 0; i < 100; i += 1) expect(await banner(b, token)).toBe(200);
      expect(bStore.reads).toEqual({ sessions: 1, users: 1 });
    });

    it('when the token is logged out on the same instance, then it is refused at once', async () => {
      const { token } = await newUser();
      expect(await a.container.accounts.authenticate(token)).toMatchObject({ admin: false });
      const out = await a.app.inject({ method: 'POST', url: '/auth/logout', headers: { authorization: token } });
      expect(out.statusCode).toBe(200);
      expect(await a.container.accounts.authenticate(token)).toBeUndefined();
    });

    it(`when the token is logged out on instance A, then instance B refuses it within ${AUTH_STALENESS_BOUND_MS} ms`, async () => {
      const { token } = await newUser();
      expect(await b.container.accounts.authenticate(token)).toBeDefined();
      expect(await b.container.accounts.authenticate(token)).toBeDefined();
      expect(bStore.reads.sessions).toBe(1); // B answers from its cache
      const out = await a.app.inject({ method: 'POST', url: '/auth/logout', headers: { authorization: token } });
      expect(out.statusCode).toBe(200);
      const loggedOutAt = performance.now();
      await until(
        'B refuses the token',
        async () => (await b.container.accounts.authenticate(token)) === undefined,
        AUTH_STALENESS_BOUND_MS + SLACK_MS,
        10,
      );
      expect(performance.now() - loggedOutAt).toBeLessThan(AUTH_STALENESS_BOUND_MS + SLACK_MS);
      // and it stays refused
      expect(await b.container.accounts.authenticate(token)).toBeUndefined();
    });

    it('when another process grants and revokes admin, then every instance sees it within the bound', async () => {
      const { id, token } = await newUser();
      expect(await b.container.accounts.authenticate(token)).toMatchObject({ admin: false });
      expect(await cli.accounts.setAdmin(id, true)).toBe(true);
      await until(
        'B sees the admin',
        async () => (await b.container.accounts.authenticate(token))?.admin === true,
        AUTH_STALENESS_BOUND_MS + SLACK_MS,
        10,
      );
      expect(await cli.accounts.setAdmin(id, false)).toBe(true);
      await until(
        'B sees the revoke',
        async () => (await b.container.accounts.authenticate(token))?.admin === false,
        AUTH_STALENESS_BOUND_MS + SLACK_MS,
        10,
      );
    });

    it('when an admin is granted on the same instance, then its cached tokens see it at once', async () => {
      const { id, token } = await newUser();
      expect(await b.container.accounts.authenticate(token)).toMatchObject({ admin: false });
      await b.container.accounts.setAdmin(id, true);
      expect(await b.container.accounts.authenticate(token)).toMatchObject({ admin: true });
    });
  });
}
