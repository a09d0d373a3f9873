import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { instantTimer } from '../../test-support/kopis-harness.js';
import { createHttpKopisTransport, keyRedactor } from './http-kopis-transport.js';
import { KopisFormatError, KopisHttpError } from './kopis.client.js';
import { createKopisClient } from './kopis-calls.js';

/** A key with characters a URL encodes, so every spelling of it is looked for. */
const KEY = 'Ab12+cd/EF34=gh56ij78kl90mn12op34qr56';

let server: ReturnType<typeof createServer> | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A KOPIS impostor that answers every request with `handler`. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/openApi/restful`;
}

const failureOf = async (p: Promise<unknown>): Promise<Error> => {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('no failure');
};

const client = (baseUrl: string) => {
  const retried: string[] = [];
  const c = createKopisClient({
    transport: createHttpKopisTransport({ baseUrl, serviceKey: KEY, timeoutMs: 2000 }),
    budget: { takeCall: async () => true },
    clock: manualClock(new Date('2026-11-25T01:00:00Z')),
    timer: instantTimer(),
    policy: { ratePerSecond: 5, retries: 1, backoffMs: 10, dailyBudget: 100 },
    onRetry: ({ error }) => retried.push(`${error.message}\n${error.stack ?? ''}`),
  });
  return { c, retried };
};

const expectNoKey = (text: string) => {
  expect(text).not.toContain(KEY);
  expect(text).not.toContain(encodeURIComponent(KEY));
  expect(text).not.toContain(new URLSearchParams({ k: KEY }).toString().slice(2));
};

describe('the KOPIS HTTP transport keeps the service key out of errors and logs', () => {
  it('when KOPIS redirects (www. to the bare host) with the key in the Location, then the error names the target but not the key', async () => {
    const base = await serve((req, res) => res.writeHead(301, { location: `https://kopis.or.kr${req.url ?? ''}` }).end());
    const err = await failureOf(createHttpKopisTransport({ baseUrl: base, serviceKey: KEY, timeoutMs: 2000 })('pblprfr/PF1', { cpage: '1' }));
    expect(err).toBeInstanceOf(KopisHttpError);
    expect(err.message).toContain('redirect to https://kopis.or.kr/openApi/restful/pblprfr/PF1');
    expectNoKey(`${err.message}\n${err.stack ?? ''}`);
  });

  it('when a block page echoes the request URL, then neither the retry log line nor the final error holds the key', async () => {
    const base = await serve((req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end(`Request rejected: ${req.url ?? ''} (${decodeURIComponent(req.url ?? '')})`),
    );
    const { c, retried } = client(base);
    const err = await failureOf(c.detail('PF1'));
    expect(err).toBeInstanceOf(KopisFormatError);
    expect(err.message).toContain('[redacted]');
    expect(retried).toHaveLength(1);
    for (const text of [err.message, err.stack ?? '', ...retried]) expectNoKey(text);
  });

  it('when the answer is XML that echoes the key, then the record read from it does not hold the key', async () => {
    const base = await serve((_req, res) =>
      res.end(`<?xml version="1.0"?><dbs><db><mt20id>PF1</mt20id><prfnm>${KEY}</prfnm><sty>${encodeURIComponent(KEY)}</sty></db></dbs>`),
    );
    const detail = await client(base).c.detail('PF1');
    expectNoKey(JSON.stringify(detail));
  });

  it('when the key is empty (not configured), then nothing is redacted', () => {
    expect(keyRedactor('')('a body')).toBe('a body');
  });
});
