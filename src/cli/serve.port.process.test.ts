import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, startTicketmoa } from '../test-support/process.js';
import { freePort, startServerProcess, type ServerProcess } from '../test-support/server-process.js';
import { until } from '../test-support/until.js';

const filesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

describe('serve checks its ports before it writes anything', () => {
  let dir: string;
  let first: ServerProcess | undefined;
  beforeAll(() => {
    buildDist();
    dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-port-'));
  }, 120_000);
  afterAll(async () => {
    await first?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a second serve starts on the port of a running one (which names its database), then it exits non-zero naming the port, and its data dir has no database or demo', async () => {
    first = await startServerProcess({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
    // it says which database it serves from
    await until('the start line', () => first!.output().includes('TicketMoa is serving'));
    expect(first.output()).toMatch(/"database":"SQLite database \/\S+\/ticketmoa\.db \(TICKETMOA_DATA_DIR \/\S+\)"/);
    const port = new URL(first.url).port;
    const dataDir = path.join(dir, 'second');
    const second = startTicketmoa(['serve'], { TICKETMOA_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: port, LOG_LEVEL: 'info' });
    const code = await second.exited;
    expect(code, second.output()).toBe(1);
    expect(second.output()).toContain(`ticketmoa serve: port ${port} is already in use (EADDRINUSE) on 127.0.0.1:${port} (PORT)`);
    expect(second.output()).toContain('Nothing was written.');
    expect(second.output()).not.toContain('demo');
    expect(filesIn(dataDir)).toEqual([]);
    expect((await fetch(`${first.url}/healthz`)).ok).toBe(true); // the first one is unharmed
  });

  it('when the metrics port is busy, then serve stops the same way, naming METRICS_PORT', async () => {
    const busy: Server = createServer();
    const metricsPort = await freePort();
    await new Promise<void>((resolve) => busy.listen(metricsPort, '127.0.0.1', resolve));
    try {
      const dataDir = path.join(dir, 'metrics');
      const env = { TICKETMOA_DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(await freePort()), METRICS_PORT: String(metricsPort) };
      const serve = startTicketmoa(['serve'], { ...env, METRICS_HOST: '127.0.0.1', LOG_LEVEL: 'info' });
      expect(await serve.exited, serve.output()).toBe(1);
      expect(serve.output()).toContain(`port ${metricsPort} is already in use (EADDRINUSE) on 127.0.0.1:${metricsPort} (METRICS_PORT)`);
      expect(filesIn(dataDir)).toEqual([]);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});
