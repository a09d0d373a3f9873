import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { RequestHistogram, type RequestObserver } from './request-histogram.js';

/** A labelled value read at scrape time. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** What a scrape-time metric reads: one value, or one per label set. */
export type Reading = number | readonly Sample[];

/**
 * The process's Prometheus metrics (prom-client). Hot paths only observe into prepared series;
 * everything that can be read from state (outbox backlog, files written, …) is read when
 * Prometheus scrapes, so it costs nothing between scrapes.
 */
export interface Metrics {
  readonly contentType: string;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
  /** The observer of answered HTTP requests of one route; `route` is its pattern (`/detail/:id`), never a raw URL. */
  requestObserver(route: string): RequestObserver;
  /** One scheduled job run: `ran`, `skipped` (another process held the lease) or `failed`. */
  jobFinished(job: string, status: 'ran' | 'skipped' | 'failed', seconds?: number): void;
  /** A gauge whose value is read at each scrape. */
  gauge(name: string, help: string, read: () => Reading, labelNames?: readonly string[]): void;
  /** A counter whose running total (kept by its owner) is read at each scrape. */
  counter(name: string, help: string, read: () => Reading, labelNames?: readonly string[]): void;
  /** Event-loop delay, memory, CPU, GC and handles of this process (serve, sink, schedule). */
  collectProcessMetrics(): void;
}

/** Request latency buckets (seconds): few, so each request touches few numbers and series stay small. */
const REQUEST_BUCKETS = [0.005, 0.025, 0.1, 0.5, 2.5];
/** Job duration buckets (seconds): a popular run takes seconds, a recommendation build up to minutes. */
const JOB_BUCKETS = [1, 10, 60, 300, 1800];
/** The label a request that matched no route gets (its URL would give every scanner a series). */
export const UNMATCHED_ROUTE = 'unmatched';

const set = (metric: Gauge | Counter, reading: Reading) => {
  metric.reset();
  if (typeof reading === 'number') {
    if (metric instanceof Gauge) metric.set(reading);
    else metric.inc(reading);
    return;
  }
  for (const { labels, value } of reading) {
    if (metric instanceof Gauge) metric.set(labels, value);
    else metric.inc(labels, value);
  }
};

export function createMetrics(): Metrics {
  const registry = new Registry();
  const requests = new RequestHistogram(
    'ticketmoa_http_request_duration_seconds',
    'HTTP requests by method, route pattern and status code, and how long they took (the _count series counts requests)',
    REQUEST_BUCKETS,
  );
  registry.registerMetric(requests.asMetric());
  const jobRuns = new Counter({
    name: 'ticketmoa_job_runs_total',
    help: 'Scheduled analytics job runs by job and outcome (ran, skipped: another process held the lease, failed)',
    labelNames: ['job', 'status'],
    registers: [registry],
  });
  const jobDurations = new Histogram({
    name: 'ticketmoa_job_duration_seconds',
    help: 'How long finished analytics job runs took',
    labelNames: ['job'],
    buckets: JOB_BUCKETS,
    registers: [registry],
  });
  let processMetrics = false;

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    requestObserver: (route) => requests.observer(route),
    jobFinished(job, status, seconds) {
      jobRuns.inc({ job, status });
      if (seconds !== undefined) jobDurations.observe({ job }, seconds);
    },
    gauge(name, help, read, labelNames = []) {
      new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        collect() {
          set(this, read());
        },
      });
    },
    counter(name, help, read, labelNames = []) {
      new Counter({
        name,
        help,
        labelNames,
        registers: [registry],
        collect() {
          set(this, read());
        },
      });
    },
    collectProcessMetrics() {
      if (processMetrics) return;
      processMetrics = true;
      collectDefaultMetrics({ register: registry });
    },
  };
}
