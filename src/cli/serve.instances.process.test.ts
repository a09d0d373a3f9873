import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PASSWORD, signupBody } from '../test-support/accounts.js';
import { postgresTestDatabase } from '../test-support/postgres.js';
import { makeRun } from '../test-support/runs.js';
import { buildDist, runTicketmoa, type ServerProcess, startServerProcess } from '../test-support/server-process.js';

const postgres = await postgresTestDatabase();

// Both processes run on this instant, so token lifetimes and rate-limit windows do not depend
// on how long the test takes.
const NOW = '2026-11-27T10:00:00+09:00';
const WITHIN_SECONDS = { timeout: 5000, interval: 100 };

describe.skipIf(!postgres)('two `ticketmoa serve` processes on one PostgreSQL database', () => {
  const env = () => ({
    DATABASE_URL: postgres!.url,
    JWT_SECRET: 'two-instances-test-secret-0123456789abcdef',
    TICKETMOA_DEMO: '0',
    TICKETMOA_SINK: 'off',
    TICKETMOA_NOW: NOW,
    LOG_LEVEL: 'warn',
    LOGIN_FAILURE_LIMIT: '3',
    // Every request here comes from 127.0.0.1 and the clock stands still: keep the per-client
    // burst limit out of the way of the per-id failure limit under test.
    AUTH_BURST_LIMIT: '1000',
    // The scheduled analytics jobs have nothing to do with what is under test here.
    POPULAR_INTERVAL: 'off',
    RECOMMEND_INTERVAL: 'off',
  });
  const servers: ServerProcess[] = [];
  let a: ServerProcess;
  let b: ServerProcess;
  let scratch: string;

  beforeAll(async () => {
    buildDist();
    scratch = mkdtempSync(path.join(tmpdir(), 'ticketmoa-instances-'));
    const start = async () => {
      const server = await startServerProcess(env());
      servers.push(server);
      return server;
    };
    // Started together on an empty database: the migrations must take turns.
    [a, b] = await Promise.all([start(), start()]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const post = async (server: ServerProcess, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}${url}`, {
      method: 'POST',
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };
  const login = (server: ServerProcess, id: string, password = PASSWORD) => post(server, '/auth/login', { id, password });
  const refresh = (server: ServerProcess, token: string) => post(server, '/auth/refresh', { refresh_token: token });
  const signupOn = async (server: ServerProcess, id: string) => {
    expect(await post(server, '/signup/signup', signupBody({ id }))).toEqual({ status: 200, body: { success: true } });
  };
  const get = async (server: ServerProcess, url: string) => {
    const res = await fetch(`${server.url}${url}`);
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const searchIds = async (server: ServerProcess, keyword: string) =>
    ((await get(server, `/search?keyword=${encodeURIComponent(keyword)}`)).body as { id: string }[]).map((r) => r.id);

  it('when an account signs up on one instance, then the other knows the id and logs it in', async () => {
    await signupOn(a, 'twohost1');
    expect(await post(b, '/signup/check-id', { id: 'twohost1' })).toMatchObject({ status: 400, body: { is_taken: true } });
    const res = await login(b, 'twohost1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ username: '김모아', user_type: '0', token_type: 'bearer' });
  });

  it('when a refresh token is used on one instance, then the other sees the rotation, and a reuse ends the session on both', async () => {
    await signupOn(a, 'twohost2');
    const first = (await login(a, 'twohost2')).body;
    const second = await refresh(a, first.refresh_token!);
    expect(second.status).toBe(200);

    // The clock stands still, so this is within the grace window: a racing second tab on the other
    // instance gets the same current refresh token, and the session lives on.
    const racing = await refresh(b, first.refresh_token!);
    expect(racing.status).toBe(200);
    expect(racing.body.refresh_token).toBe(second.body.refresh_token);
    const third = await refresh(b, second.body.refresh_token!);
    expect(third.status).toBe(200);

    // A token two rotations old is no race: it was taken for theft, and the newest pair dies too,
    // whichever instance it is shown to.
    expect((await refresh(a, first.refresh_token!)).status).toBe(401);
    expect((await refresh(a, third.body.refresh_token!)).status).toBe(401);
    expect((await refresh(b, third.body.refresh_token!)).status).toBe(401);
  });

  it('when a person logs out on one instance, then the other no longer honours the session', async () => {
    await signupOn(b, 'twohost3');
    const first = (await login(a, 'twohost3')).body;
    const onB = await refresh(b, first.refresh_token!);
    expect(onB.status).toBe(200);

    expect((await post(a, '/auth/logout', undefined, { authorization: onB.body.access_token! })).status).toBe(200);
    expect((await refresh(b, onB.body.refresh_token!)).status).toBe(401);
    expect((await refresh(a, onB.body.refresh_token!)).status).toBe(401);
  });

  it('when failed logins for one id are spread over both instances, then together they reach the limit', async () => {
    await signupOn(a, 'twohost4');
    expect((await login(a, 'twohost4', 'guess-1')).status).toBe(401);
    expect((await login(b, 'twohost4', 'guess-2')).status).toBe(401);
    expect((await login(a, 'twohost4', 'guess-3')).status).toBe(401);
    // Neither instance alone saw three failures; the right password is still refused on both.
    expect((await login(b, 'twohost4')).status).toBe(429);
    expect((await login(a, 'twohost4')).status).toBe(429);
    expect((await login(b, 'twohost2')).status).toBe(200);
  });

  it('when `ticketmoa import` writes runs, then both instances serve them in search and detail within seconds', async () => {
    const runs = [makeRun({ title: '레미제라블 내한공연' }), makeRun({ title: '레미제라블 갈라 콘서트' })];
    const file = path.join(scratch, 'runs.json');
    writeFileSync(file, JSON.stringify(runs));
    for (const server of [a, b]) {
      expect(await searchIds(server, '레미제라블')).toEqual([]);
      expect((await get(server, `/detail/${runs[0]!._id}`)).status).toBe(404);
    }

    const imported = await runTicketmoa(['import', file], { DATABASE_URL: postgres!.url, LOG_LEVEL: 'warn' });
    expect(imported.stdout).toContain('inserted 2');
    expect(imported.code).toBe(0);

    const wanted = runs.map((r) => r._id).sort();
    for (const server of [a, b]) {
      await vi.waitFor(async () => expect((await searchIds(server, '레미제라블')).sort()).toEqual(wanted), WITHIN_SECONDS);
      const detail = await get(server, `/detail/${runs[0]!._id}`);
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({ data: { _id: runs[0]!._id, title: '레미제라블 내한공연' } });
    }
  });
});
