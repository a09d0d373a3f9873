import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../../test-support/app.js';
import { chromiumAvailable, launchChromium } from '../../test-support/browser.js';
import { makeRun } from '../../test-support/runs.js';

// Friday 2026-11-27 in Seoul; the weekend is 11.28–11.29.
const NOW = '2026-11-27T10:00:00+09:00';
const CATEGORIES = ['콘서트', '뮤지컬', '연극', '전시/행사'];
const runs = Array.from({ length: 3000 }, (_, i) =>
  makeRun({
    _id: `e${String(i).padStart(23, '0')}`,
    title: `브라우저 공연 ${i}`,
    category: CATEGORIES[i % CATEGORIES.length]!,
    start_date: `2026.11.${String(1 + (i % 27)).padStart(2, '0')}`,
    end_date: '2026.12.31',
  }),
);
/**
 * Host names that resolve to this machine inside the browser only: an origin named like a real
 * site is not "potentially trustworthy" as localhost is, so Chromium treats it as a deployment on
 * plain HTTP (where it offers fewer codings).
 */
const SITE = 'ticketmoa.test';
const HOST_RULES = `--host-resolver-rules=MAP *.${SITE} 127.0.0.1`;

interface Read {
  status: number;
  text: string;
  /** The request headers the browser sent, and the response headers it received. */
  sent: Record<string, string>;
  received: Record<string, string>;
}

/** The part of the browser's XMLHttpRequest the page uses (the project's types have no DOM). */
interface PageXhr {
  status: number;
  responseText: string;
  onload: () => void;
  onerror: () => void;
  open(method: string, url: string): void;
  send(): void;
}

/** In the page: GET `url` the way the legacy frontend does (axios: XMLHttpRequest), with what went over the wire. */
async function readInPage(page: Page, url: string): Promise<Read> {
  const response = page.waitForResponse(url);
  const read = await page.evaluate(
    (target) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const xhr = new (globalThis as unknown as { XMLHttpRequest: new () => PageXhr }).XMLHttpRequest();
        xhr.open('GET', target);
        xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
        xhr.onerror = () => reject(new Error(`XHR to ${target} failed`));
        xhr.send();
      }),
    url,
  );
  const res = await response;
  return { ...read, sent: await res.request().allHeaders(), received: await res.allHeaders() };
}

/** A self-signed certificate for localhost (openssl), or undefined where openssl is missing. */
function localhostCertificate(dir: string): { key: Buffer; cert: Buffer } | undefined {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-days',
        '1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
  } catch {
    if (process.env.CI === 'true') throw new Error('openssl is required in CI for the HTTPS browser test');
    console.warn('HTTPS browser test skipped: openssl not found');
    return undefined;
  }
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

describe.skipIf(!chromiumAvailable())('the legacy frontend in Chromium reads big answers compressed', () => {
  let svc: TestService;
  let browser: Browser;
  let frontend: Server;
  let tls: TlsServer | undefined;
  let apiPort: number;
  let frontendPort: number;
  const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-browser-'));
  /** The Accept-Encoding of each request as it reached the service. */
  const offered = new Map<string, string | undefined>();

  beforeAll(async () => {
    // the frontend's own origin: a page that calls the API across origins, as the React app does
    frontend = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>TicketMoa</title>'),
    );
    await new Promise<void>((resolve) => frontend.listen(0, '127.0.0.1', resolve));
    frontendPort = (frontend.address() as AddressInfo).port;
    svc = await startTestService({ TICKETMOA_NOW: NOW, CORS_ORIGINS: `http://www.${SITE}:${frontendPort},http://localhost:${frontendPort}` });
    await svc.container.stores.performances.upsertMany(runs);
    await svc.container.catalog.refresh();
    await svc.app.listen({ port: 0, host: '127.0.0.1' });
    apiPort = (svc.app.server.address() as AddressInfo).port;
    svc.app.server.on('request', (req: { url?: string; headers: IncomingHttpHeaders }) => offered.set(req.url ?? '', req.headers['accept-encoding']));
    // HTTPS in front of the API, as the TLS proxy of the compose deployment: bytes passed through
    const certificate = localhostCertificate(dir);
    if (certificate) {
      tls = createTlsServer(certificate, (socket) => socket.pipe(connect(apiPort, '127.0.0.1')).pipe(socket));
      await new Promise<void>((resolve) => tls!.listen(0, '127.0.0.1', resolve));
    }
    browser = await launchChromium([HOST_RULES]);
  });
  afterAll(async () => {
    await browser?.close();
    tls?.close();
    frontend?.close();
    await svc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The answer as the service sends it uncompressed. */
  const plain = async (url: string) => (await svc.app.inject({ method: 'GET', url })).body;

  it.each([
    // a deployment on plain HTTP: the browser offers gzip (and deflate) only
    { where: 'on a site over HTTP', pageHost: `http://www.${SITE}`, apiHost: `http://api.${SITE}`, offer: 'gzip, deflate', coding: 'gzip' },
    // the legacy frontend's development set-up: localhost counts as secure, brotli is offered
    { where: 'on localhost', pageHost: 'http://localhost', apiHost: 'http://localhost', offer: 'gzip, deflate, br, zstd', coding: 'br' },
  ])(
    'when the frontend page $where asks across origins, then Chromium offers "$offer", gets $coding and reads the exact JSON',
    async ({ pageHost, apiHost, offer, coding }) => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${pageHost}:${frontendPort}/`);
        for (const url of ['/search', '/this_weekend?per_category=1000', '/exclusive/all']) {
          const read = await readInPage(page, `${apiHost}:${apiPort}${url}`);
          expect(read.status).toBe(200);
          // Chromium's own header (a page cannot set Accept-Encoding), as it reached the service
          expect(read.sent['accept-encoding']).toBe(offer);
          expect(offered.get(url)).toBe(offer);
          expect(read.received['content-encoding']).toBe(coding);
          expect(Number(read.received['content-length'])).toBeLessThan(Buffer.byteLength(read.text) / 3);
          expect(read.text).toBe(await plain(url));
        }
      } finally {
        await context.close();
      }
    },
  );

  it('when the page is served over HTTPS, then Chromium offers brotli, gets it and reads the exact JSON', async (ctx) => {
    if (!tls) return ctx.skip();
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    try {
      const page = await context.newPage();
      const origin = `https://localhost:${(tls.address() as AddressInfo).port}`;
      await page.goto(`${origin}/healthz`);
      const read = await readInPage(page, `${origin}/search`);
      expect(read.sent['accept-encoding']).toMatch(/\bbr\b/);
      expect(offered.get('/search')).toBe(read.sent['accept-encoding']);
      expect(read.received['content-encoding']).toBe('br');
      expect(read.text).toBe(await plain('/search'));
      expect(JSON.parse(read.text)).toHaveLength(runs.length);
    } finally {
      await context.close();
    }
  });
});
