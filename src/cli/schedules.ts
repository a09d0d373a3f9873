import type { Container } from '../container.js';
import { scheduleJob, type Schedule } from '../features/jobs/scheduler.js';

/**
 * The analytics schedules of `serve` and `schedule`: each due run is a low-priority child process,
 * so a build holds neither the API's event loop nor its heap. Each run is counted in the metrics.
 */
export function startSchedules(container: Container, opts: { popularNow?: boolean } = {}): Schedule[] {
  const { config, scheduledJobs: jobs, log, metrics } = container;
  // what the last KOPIS sync left set aside (kopis_record_problems); nothing until one ran here
  let kopisSetAside: { open: number; givenUp: number } | undefined;
  metrics.gauge(
    'ticketmoa_kopis_records_set_aside',
    'KOPIS records the last sync could not use: open ones are retried by later syncs, given_up ones only when KOPIS changes them',
    () =>
      kopisSetAside === undefined
        ? []
        : [
            { labels: { state: 'open' }, value: kopisSetAside.open },
            { labels: { state: 'given_up' }, value: kopisSetAside.givenUp },
          ],
    ['state'],
  );
  const plan = [
    // popularNow: a demo's view log waits to be counted at the first check, not after an interval
    { job: jobs.popular, intervalMs: config.popularIntervalMs, firstRunNow: opts.popularNow === true },
    { job: jobs.recommend, intervalMs: config.recommendIntervalMs, firstRunNow: false },
    // the KOPIS sync only with a key (KOPIS_SYNC_INTERVAL, default daily)
    { job: jobs.kopis, intervalMs: config.kopis.serviceKey === undefined ? 0 : config.kopis.syncIntervalMs, firstRunNow: false },
    // closed days of the lake into day files (COMPACT_INTERVAL, default daily; ADR 18)
    { job: jobs.compact, intervalMs: config.compactIntervalMs, firstRunNow: false },
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
          if (job.name === 'kopis' && outcome.status === 'ran') kopisSetAside = setAsideOf(outcome.summary) ?? kopisSetAside;
          log.info({ job: job.name, ...outcome }, `${job.name} job ${outcome.status}`);
        },
        onError: (err) => {
          metrics.jobFinished(job.name, 'failed');
          log.error({ err, job: job.name }, `${job.name} job failed`);
        },
      }),
    );
}

/** The set-aside counts in a KOPIS sync summary (it crosses a process boundary as plain JSON). */
function setAsideOf(summary: unknown): { open: number; givenUp: number } | undefined {
  const r = (summary as { recordProblems?: { open?: unknown; givenUp?: unknown } } | null)?.recordProblems;
  return typeof r?.open === 'number' && typeof r.givenUp === 'number' ? { open: r.open, givenUp: r.givenUp } : undefined;
}
