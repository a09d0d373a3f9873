import type { Container } from '../container.js';
import { scheduleJob, type Schedule } from '../features/jobs/scheduler.js';

/**
 * The analytics schedules of `serve` and `schedule`: each due run is a low-priority child process,
 * so a build holds neither the API's event loop nor its heap. Each run is counted in the metrics.
 */
export function startSchedules(container: Container, opts: { popularNow?: boolean } = {}): Schedule[] {
  const { config, scheduledJobs: jobs, log, metrics } = container;
  const plan = [
    // popularNow: a demo's view log waits to be counted at the first check, not after an interval
    { job: jobs.popular, intervalMs: config.popularIntervalMs, firstRunNow: opts.popularNow === true },
    { job: jobs.recommend, intervalMs: config.recommendIntervalMs, firstRunNow: false },
    // the KOPIS sync only with a key (KOPIS_SYNC_INTERVAL, default daily)
    { job: jobs.kopis, intervalMs: config.kopis.serviceKey === undefined ? 0 : config.kopis.syncIntervalMs, firstRunNow: false },
  ];
  return plan
    .filter((p) => p.intervalMs > 0)
    .map(({ job, intervalMs, firstRunNow }) =>
      scheduleJob(job, {
        intervalMs,
        firstRunNow,
        onProgress: (message) => log.debug({ job: job.name }, message),
        onOutcome: (outcome) => {
          metrics.jobFinished(job.name, outcome.status, outcome.status === 'ran' ? outcome.ms / 1000 : undefined);
          log.info({ job: job.name, ...outcome }, `${job.name} job ${outcome.status}`);
        },
        onError: (err) => {
          metrics.jobFinished(job.name, 'failed');
          log.error({ err, job: job.name }, `${job.name} job failed`);
        },
      }),
    );
}
