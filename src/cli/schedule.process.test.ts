import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist, startTicketmoa } from '../test-support/process.js';
import { until } from '../test-support/until.js';

describe('ticketmoa schedule', () => {
  let dataDir: string;
  beforeAll(() => {
    buildDist();
    dataDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-schedule-'));
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('when it runs, then it runs the due jobs without serving the API, counts them on its metrics port and stops on SIGTERM', async () => {
    const schedule = startTicketmoa(['schedule'], {
      TICKETMOA_DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      METRICS_PORT: '0',
      POPULAR_INTERVAL: '1h',
      RECOMMEND_INTERVAL: 'off',
      LOG_LEVEL: 'info',
    });
    try {
      const [, url] = await schedule.waitFor(/"metrics":"(http:\/\/127\.0\.0\.1:\d+)\/metrics"/);
      await schedule.waitFor(/popular job ran/, 60_000);
      let text = '';
      await until('the run is counted', async () => (text = await (await fetch(`${url}/metrics`)).text()).includes('status="ran"'));
      expect(text).toContain('ticketmoa_job_runs_total{job="popular",status="ran"} 1');
      expect(text).toContain('ticketmoa_job_duration_seconds_count{job="popular"} 1');
      expect(text).not.toContain('job="recommend"');
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(schedule.output()).not.toContain('Server listening');
      schedule.proc.kill('SIGTERM');
      expect(await schedule.exited).toBe(0);
    } finally {
      schedule.proc.kill('SIGKILL');
    }
  }, 90_000);
});
