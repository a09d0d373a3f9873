import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../../test-support/browser.js';
import { openDuckDb, sqlString } from '../../test-support/duckdb.js';
import { buildDist, type ServerProcess, startServerProcess } from '../../test-support/server-process.js';

const NOW = '2026-11-27T10:00:00+09:00';
const USER = 'heart2026';
const PLAIN_PASSWORD = 'Moa2026!x';

/** What the page answers with: status, body text and the headers read through CORS. */
interface Call {
  status: number;
  text: string;
}

/**
 * The frontend's calls, made in the page the way its axios client makes them: XMLHttpRequest,
 * `Content-Type: application/json` for a body (also on DELETE), the raw token (no `Bearer `) in
 * `Authorization`, from another origin (so the browser sends CORS preflights).
 */
const FRONTEND_PAGE = `<!doctype html><meta charset="utf-8"><title>likes</title>
<script>
window.api = (method, url, token, body) => new Promise((resolve, reject) => {
  const xhr = new XMLHttpRequest();
  xhr.open(method, window.API + url);
  xhr.setRequestHeader('Accept', 'application/json, text/plain, */*');
  if (token) xhr.setRequestHeader('Authorization', token);
  if (body !== undefined) xhr.setRequestHeader('Content-Type', 'application/json');
  xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
  xhr.onerror = () => reject(new Error(method + ' ' + url + ' failed (CORS or network)'));
  xhr.send(body === undefined ? null : JSON.stringify(body));
});
// The frontend's password transform: base64(hex(HMAC-SHA256(password, "encore-team1"))).
window.transform = async (password) => {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', enc.encode('encore-team1'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(password)));
  return btoa([...mac].map((b) => b.toString(16).padStart(2, '0')).join(''));
};
</script>`;

interface ListItem {
  id: string;
  title: string;
  is_liked: boolean;
  [field: string]: unknown;
}

describe("the frontend's hearts in Chromium against a real `ticketmoa serve`", () => {
  const enabled = chromiumAvailable();
  const lake = mkdtempSync(path.join(tmpdir(), 'ticketmoa-likes-lake-'));
  let server: ServerProcess | undefined;
  let pageServer: Server;
  let browser: Browser;
  let page: Page;
  let token = '';
  /** Answers the page got from the API: method, path and the origin the API allowed to read it. */
  const answered: string[] = [];
  let origin = '';

  const call = (method: string, url: string, auth: string | undefined, body?: unknown): Promise<Call> =>
    page.evaluate(([m, u, t, b]) => (globalThis as unknown as { api: (...a: unknown[]) => Promise<Call> }).api(m, u, t, b), [
      method,
      url,
      auth,
      body,
    ] as const);
  const json = <T>(c: Call): T => JSON.parse(c.text) as T;

  beforeAll(async () => {
    if (!enabled) return;
    buildDist();
    pageServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(FRONTEND_PAGE));
    await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
    origin = `http://localhost:${(pageServer.address() as AddressInfo).port}`;
    server = await startServerProcess({
      TICKETMOA_NOW: NOW,
      CORS_ORIGINS: origin,
      LAKE_URL: pathToFileURL(lake).href,
    });
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('response', (r) => {
      if (r.url().startsWith(server!.url)) {
        answered.push(`${r.request().method()} ${new URL(r.url()).pathname} for ${r.headers()['access-control-allow-origin']}`);
      }
    });
    await page.goto(`${origin}/`);
    await page.evaluate((api) => {
      (globalThis as unknown as { API: string }).API = api;
    }, server.url);

    const pw = await page.evaluate((p) => (globalThis as unknown as { transform: (p: string) => Promise<string> }).transform(p), PLAIN_PASSWORD);
    const signup = await call('POST', '/signup/signup', undefined, {
      username: '하트',
      id: USER,
      pw,
      email: '',
      phoneNumber: '',
      gender: 'M',
      birthday: '1990-01-02',
      agreeMarketing: 'false',
    });
    expect(signup.status, signup.text).toBe(200);
    const login = await call('POST', '/auth/login', undefined, { id: USER, password: pw });
    expect(login.status, login.text).toBe(200);
    token = json<{ access_token: string }>(login).access_token;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    pageServer?.close();
    rmSync(lake, { recursive: true, force: true });
  });

  it.runIf(enabled)(
    'when a logged-in visitor hearts a run, unhearts it and opens "my likes", then every answer has the shape the page reads',
    async () => {
      const banner = await call('GET', '/banner', token);
      expect(banner.status).toBe(200);
      const items = json<ListItem[]>(banner);
      expect(items.length).toBeGreaterThan(2);
      expect(items.every((i) => i.is_liked === false)).toBe(true);
      const [first, second] = items as [ListItem, ListItem];

      const liked = await call('POST', '/like', token, { id: first.id });
      expect(liked.status, liked.text).toBe(200);
      expect(json<ListItem>(liked)).toMatchObject({
        id: first.id,
        title: first.title,
        is_liked: true,
        start_date: first.start_date,
        end_date: first.end_date,
      });
      // liking twice is not an error
      expect((await call('POST', '/like', token, { id: first.id })).status).toBe(200);
      expect((await call('POST', '/like', token, { id: second.id })).status).toBe(200);

      const hearts = json<ListItem[]>(await call('GET', '/banner', token));
      expect(hearts.filter((i) => i.is_liked).map((i) => i.id)).toEqual([first.id, second.id]);
      // someone else (anonymous) still sees no hearts
      expect(json<ListItem[]>(await call('GET', '/banner', undefined)).some((i) => i.is_liked)).toBe(false);

      const mine = json<Record<string, unknown>[]>(await call('GET', '/get_like', token));
      expect(mine.map((m) => m.id)).toEqual([first.id, second.id]);
      for (const m of mine) expect(Object.keys(m).sort()).toEqual(['end_date', 'id', 'location', 'open_date', 'poster_url', 'title']);

      const removed = await call('DELETE', '/del_like', token, { id: first.id });
      expect(removed.status, removed.text).toBe(200);
      expect(json<string>(removed)).toBe(first.id);
      // removing it again is not an error either
      expect((await call('DELETE', '/del_like', token, { id: first.id })).status).toBe(200);
      expect(json<Record<string, unknown>[]>(await call('GET', '/get_like', token)).map((m) => m.id)).toEqual([second.id]);
      expect(
        json<ListItem[]>(await call('GET', '/banner', token))
          .filter((i) => i.is_liked)
          .map((i) => i.id),
      ).toEqual([second.id]);

      // Cross-origin, with a JSON body and a raw token: Chromium sends such a DELETE only after a
      // preflight the API allowed (Playwright does not report preflights themselves), and lets the
      // page read the answer only with the API's CORS headers.
      expect(origin).not.toBe(new URL(server!.url).origin);
      expect(answered).toContain(`DELETE /del_like for ${origin}`);
      expect(answered).toContain(`POST /like for ${origin}`);
    },
  );

  it.runIf(enabled)('when the page calls without a token or with a bad id, then it can read the JSON error', async () => {
    const anonymous = await call('POST', '/like', undefined, { id: '0123456789abcdef01234567' });
    expect(anonymous.status).toBe(401);
    expect(json<{ detail: string }>(anonymous).detail).toEqual(expect.any(String));
    expect((await call('GET', '/get_like', undefined)).status).toBe(401);
    expect((await call('DELETE', '/del_like', 'not-a-token', { id: '0123456789abcdef01234567' })).status).toBe(401);
    expect((await call('POST', '/like', token, { id: 'ffffffffffffffffffffffff' })).status).toBe(404);
    const malformed = await call('POST', '/like', token, { id: 'nope' });
    expect([400, 422]).toContain(malformed.status);
    expect(json<Record<string, unknown>>(malformed)).toHaveProperty('detail');
  });

  it.runIf(enabled)('when the server is stopped with SIGTERM, then DuckDB reads the likes and unlikes from the lake', async () => {
    await server!.stop();
    server = undefined;
    const duck = await openDuckDb();
    try {
      const rows = await duck.all(
        `SELECT action, status, user_id FROM read_parquet(${sqlString(path.join(lake, 'logs/Like_log/*.parquet'))}) ORDER BY action, status`,
      );
      expect(rows).toEqual([
        { action: 'like', status: 'changed', user_id: USER },
        { action: 'like', status: 'changed', user_id: USER },
        { action: 'like', status: 'unchanged', user_id: USER },
        { action: 'unlike', status: 'changed', user_id: USER },
        { action: 'unlike', status: 'unchanged', user_id: USER },
      ]);
    } finally {
      duck.close();
    }
  });
});
