import type { Container } from '../container.js';
import { scheduleJob, type Schedule } from '../features/jobs/scheduler.js';

/**
 * The analytics schedules of `serve` and `schedule`: each due run is a low-priority child process,
 * so a build holds neither the API's event loop nor its heap. Each run is counted in the metrics.
 */
export function startSchedules(container: Container): Schedule[] {
  const { config, scheduledJobs: jobs, log, metrics } = container;
  const plan = [
    { job: jobs.popular, intervalMs: config.popularIntervalMs },
    { job: jobs.recommend, intervalMs: config.recommendIntervalMs },
  ];
  return plan
    .filter((p) => p.intervalMs > 0)
    .map(({ job, intervalMs }) =>
      scheduleJob(job, {
        intervalMs,
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
