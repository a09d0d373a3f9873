import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../platform/clock.js';
import { buildDist, REPO_ROOT } from '../../test-support/process.js';
import { tempOutboxes } from '../../test-support/temp-outboxes.js';
import { until } from '../../test-support/until.js';
import { silentLog } from '../pipeline-log.js';
import { acquireSinkLock } from './sink-lock.js';

// The lock across real processes; sink-lock.int.test.ts has the rules within one process.
const { outboxFile, open, cleanUp } = tempOutboxes();
afterEach(cleanUp);

const options = { clock: systemClock, log: silentLog };

describe('a sink killed with -9', () => {
  beforeAll(() => buildDist(), 120_000);

  it('when the process holding the lock is killed, then the lock can be taken at once', async () => {
    const file = outboxFile();
    const dist = (module: string) => JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'dist', module)).href);
    const script = `
      const { openOutbox } = await import(${dist('pipeline/outbox/outbox.js')});
      const { acquireSinkLock } = await import(${dist('pipeline/outbox/sink-lock.js')});
      const { systemClock } = await import(${dist('platform/clock.js')});
      acquireSinkLock(openOutbox(${JSON.stringify(file)}).sinkLock, { clock: systemClock, log: console });
      process.stdout.write('locked\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await until('the child holds the lock', () => out.includes('locked') || child.exitCode !== null);
      const outbox = open(file);
      expect(() => acquireSinkLock(outbox.sinkLock, options)).toThrow(`another sink (pid ${child.pid} on ${hostname()})`);
      child.kill('SIGKILL');
      await exited;
      const lock = acquireSinkLock(outbox.sinkLock, options);
      expect(outbox.sinkLock.holder()?.pid).toBe(process.pid);
      lock.release();
    } finally {
      child.kill('SIGKILL');
    }
  });
});
