import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, startTicketmoa } from '../test-support/process.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-guards-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('production guards at start', () => {
  beforeAll(() => buildDist(), 120_000);

  it('when serve starts with NODE_ENV=production and TICKETMOA_NOW, then it exits 2 with a configuration error before listening', async () => {
    const serve = startTicketmoa(['serve'], {
      NODE_ENV: 'production',
      JWT_SECRET: 'production-secret-production-secret-0123',
      TICKETMOA_NOW: '2026-11-27T10:00:00+09:00',
      TICKETMOA_DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
    });
    expect(await serve.exited).toBe(2);
    expect(serve.output()).toContain('invalid configuration');
    expect(serve.output()).toContain('TICKETMOA_NOW');
    expect(serve.output()).toContain('NODE_ENV=production');
  }, 30_000);
});
