import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLakeMonth } from '../bench/lake-month.js';
import { listEventFiles, parseLakeKey } from '../pipeline/index.js';
import { createLocalLake } from '../pipeline/lake/local-lake.js';
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

  it('when the lake has closed days, then the schedule compacts them (COMPACT_INTERVAL, default daily) and leaves today', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-schedule-compact-'));
    const lake = createLocalLake(path.join(dir, 'lake'));
    await generateLakeMonth(lake, { lastDay: '2026-11-27', days: 3, eventsPerDay: 300, fileEvents: 100, topics: ['Search_log'] });
    const schedule = startTicketmoa(['schedule'], {
      TICKETMOA_DATA_DIR: dir,
      TICKETMOA_NOW: '2026-11-27T12:00:00+09:00',
      POPULAR_INTERVAL: 'off',
      RECOMMEND_INTERVAL: 'off',
      LOG_LEVEL: 'info',
    });
    try {
      await schedule.waitFor(/compact job ran/, 90_000);
      const days = (await listEventFiles(lake)).map((f) => parseLakeKey(f.key)?.day ?? 'sink file');
      expect(days).toEqual(['2026-11-25', '2026-11-26', 'sink file', 'sink file', 'sink file']);
      schedule.proc.kill('SIGTERM');
      expect(await schedule.exited).toBe(0);
    } finally {
      schedule.proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
