/**
 * The composition root's metrics half: which state each process shows to Prometheus. Every value
 * here is read when Prometheus scrapes (a cheap outbox query, a counter a part already keeps), so
 * requests and the sink pay nothing for them.
 */
import type { MetricsListener } from '../config/config.js';
import { startMetricsServer } from '../http/metrics-server.js';
import type { BusForwarder } from '../pipeline/event-bus/event-bus.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import type { EventSink } from '../pipeline/sink/sink.js';
import { compressionTally, type ContentCoding } from '../platform/json-body.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics, Sample } from '../platform/metrics.js';

/** The local outbox: backlog and the age of its oldest event, events lost and set aside. */
export function registerOutboxMetrics(metrics: Metrics, pipeline: Pipeline): void {
  metrics.gauge(
    'ticketmoa_outbox_backlog_events',
    'Events waiting in the local outbox (embedded bus: not yet in the lake; Kafka: not yet acknowledged by Kafka)',
    () => pipeline.health().backlog,
  );
  metrics.gauge(
    'ticketmoa_outbox_oldest_event_age_seconds',
    'Age of the oldest event waiting in the outbox (0 when empty)',
    () => pipeline.health().oldestAgeMs / 1000,
  );
  metrics.counter(
    'ticketmoa_events_lost_total',
    'Answered requests whose event could not be stored (outbox full or unwritable)',
    () => pipeline.health().lost,
  );
  metrics.gauge('ticketmoa_events_set_aside', 'Events the bus refused for good, kept aside in the outbox', () => pipeline.health().setAside);
  // `ticketmoa outbox set-aside` runs in a process of its own: it counts in the outbox file, which
  // every process on that data dir reads here, so the counts survive both processes' restarts.
  metrics.counter(
    'ticketmoa_events_set_aside_replayed_total',
    'Set-aside events an operator put back to be sent again (ticketmoa outbox set-aside --replay), counted in the outbox file',
    () => pipeline.outbox.setAsideTotals().replayed,
  );
  metrics.counter(
    'ticketmoa_events_set_aside_dropped_total',
    'Set-aside events an operator deleted (ticketmoa outbox set-aside --drop), counted in the outbox file',
    () => pipeline.outbox.setAsideTotals().dropped,
  );
}

/** What the Kafka forwarder shipped. */
export function registerForwarderMetrics(metrics: Metrics, forwarder: BusForwarder): void {
  metrics.counter(
    'ticketmoa_events_forwarded_total',
    'Events the forwarder shipped to the bus and Kafka acknowledged',
    () => forwarder.stats().forwarded,
  );
}

/** The sink's progress: files and events written, lake errors, what it holds and how far behind it is. */
export function registerSinkMetrics(metrics: Metrics, sink: EventSink): void {
  metrics.counter('ticketmoa_sink_files_written_total', 'Parquet files the sink wrote to the lake', () => sink.filesWritten);
  metrics.counter('ticketmoa_sink_events_written_total', 'Events the sink wrote to the lake', () => sink.eventsWritten);
  metrics.counter(
    'ticketmoa_lake_write_errors_total',
    'Failed lake writes (each is retried with backoff; no batch is dropped)',
    () => sink.lakeWriteErrors,
  );
  metrics.gauge('ticketmoa_sink_buffered_events', 'Events the sink has read but not yet written to the lake', () => sink.buffered());
  metrics.gauge(
    'ticketmoa_sink_lag_messages',
    'Kafka: messages in a partition past the last batch this sink read (consumer lag); on the embedded bus see ticketmoa_outbox_backlog_events',
    (): Sample[] => sink.lag().map((l) => ({ labels: { topic: l.topic, partition: String(l.partition) }, value: l.messages })),
    ['topic', 'partition'],
  );
}

/**
 * What compressing answers has cost: bodies, bytes in and out, and threadpool seconds per coding.
 * Each cached answer is compressed once per coding, so these grow with new answers (a new day,
 * catalogue version, search or size), not with requests.
 */
export function registerCompressionMetrics(metrics: Metrics): void {
  const per = (read: (t: ReturnType<typeof compressionTally>[ContentCoding]) => number) => (): Sample[] =>
    Object.entries(compressionTally()).map(([coding, t]) => ({ labels: { coding }, value: read(t) }));
  metrics.counter(
    'ticketmoa_json_compressions_total',
    'Answers compressed (each cached answer once per coding)',
    per((t) => t.bodies),
    ['coding'],
  );
  metrics.counter(
    'ticketmoa_json_compression_input_bytes_total',
    'Bytes of answers compressed',
    per((t) => t.bytesIn),
    ['coding'],
  );
  metrics.counter(
    'ticketmoa_json_compression_output_bytes_total',
    'Bytes the compressed forms came to',
    per((t) => t.bytesOut),
    ['coding'],
  );
  metrics.counter(
    'ticketmoa_json_compression_seconds_total',
    'Time from handing an answer to the threadpool to its compressed form (off the event loop)',
    per((t) => t.seconds),
    ['coding'],
  );
}

/**
 * Starts this process's metrics: process-level series (event-loop delay, memory, GC) and, with
 * METRICS_PORT set, the listener of its own. Returns what to close at shutdown.
 */
export async function startProcessMetrics(metrics: Metrics, listener: MetricsListener, log: Logger): Promise<{ close(): Promise<void> }> {
  if (listener.on === 'off') return { close: async () => {} };
  metrics.collectProcessMetrics();
  if (listener.on === 'api') return { close: async () => {} };
  const server = await startMetricsServer(metrics, listener);
  log.info({ metrics: `${server.url}/metrics` }, 'metrics are served on their own port');
  return server;
}
