import { afterEach, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../../test-support/app.js';
import { makeRun } from '../../test-support/runs.js';
import { DEMO_RUNS, loadDemoIfEmpty } from './demo.js';

const NOW = '2026-11-27T09:00:00+09:00';

describe('the demo catalogue on start', () => {
  let service: TestService | undefined;
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });

  const demoFor = async (s: TestService) =>
    loadDemoIfEmpty({ enabled: s.container.config.demo, store: s.container.stores.performances, clock: s.container.clock });

  it('when the database is empty, then a demo catalogue around today is loaded and served', async () => {
    service = await startTestService({ TICKETMOA_DEMO: '1', TICKETMOA_NOW: NOW });
    expect(await demoFor(service)).toEqual({ loaded: true, runs: DEMO_RUNS, today: '2026.11.27' });
    await service.container.catalog.refresh();
    const banner = await service.app.inject({ url: '/banner' });
    expect(banner.json<{ start_date: string }[]>()).toHaveLength(11);
    expect(banner.json<{ start_date: string }[]>()[0]!.start_date > '2026.11.27').toBe(true);
  });

  it('when TICKETMOA_DEMO=0, then nothing is loaded', async () => {
    service = await startTestService({ TICKETMOA_DEMO: '0', TICKETMOA_NOW: NOW });
    expect(await demoFor(service)).toEqual({ loaded: false, reason: 'disabled' });
    expect(await service.container.stores.performances.count()).toBe(0);
  });

  it('when the database already holds runs, then it is left alone', async () => {
    service = await startTestService({ TICKETMOA_DEMO: '1', TICKETMOA_NOW: NOW });
    await service.container.stores.performances.upsertMany([makeRun()]);
    expect(await demoFor(service)).toEqual({ loaded: false, reason: 'not-empty' });
    expect(await service.container.stores.performances.count()).toBe(1);
  });
});
