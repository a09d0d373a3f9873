import { describeDatabase } from '../config/database-location.js';
import { registerOutboxMetrics, registerSinkMetrics, startProcessMetrics } from '../composition/metrics.js';
import type { Command } from './command.js';
import { configFromEnvironment, openContainer, untilStopSignal } from './runtime.js';

export const sinkCommand: Command = {
  summary: 'run only the event-log sink (bus → Parquet files in the lake)',
  usage: `usage: ticketmoa sink

Consumes the event bus (EVENT_BUS: the embedded outbox in TICKETMOA_DATA_DIR, or Kafka) and
writes each topic's events as Parquet files to LAKE_URL, committing only after a file is written.
Several sinks may share one Kafka consumer group (KAFKA_GROUP_ID). The embedded log takes one
sink only: when this command runs beside "ticketmoa serve" on the same data dir, start serve with
TICKETMOA_SINK=off. A buffer is written at LOG_FLUSH_MAX_EVENTS events (1000) or once its oldest
event has waited LOG_FLUSH_MAX_AGE_MS (default 1 h here, whatever the bus).
SIGTERM flushes the buffers, commits and exits.
With METRICS_PORT set, GET /metrics and GET /healthz answer on that port.`,
  async run() {
    const config = configFromEnvironment();
    if (!config) return 2;
    // Listen from the start: a SIGTERM while starting up then stops gracefully once up, instead of
    // killing the process with its buffers unwritten (a second signal still kills it).
    const stopSignal = untilStopSignal();
    const container = await openContainer('sink', config, { mayCreate: true, announce: false });
    if (!container) return 1;
    const { log, metrics } = container;
    let metricsListener: { close(): Promise<void> } | undefined;
    try {
      const sink = await container.pipeline.startSink({ standalone: true });
      registerSinkMetrics(metrics, sink);
      // On the embedded bus the outbox is the log this sink reads: its backlog is the sink's lag.
      if (container.pipeline.bus.kind === 'embedded') registerOutboxMetrics(metrics, container.pipeline);
      // The API's port is not here: only a metrics port of its own shows this process's metrics.
      if (config.metrics.on === 'port') metricsListener = await startProcessMetrics(metrics, config.metrics, log);
      log.info({ bus: config.pipeline.bus, lake: config.pipeline.lakeUrl, database: describeDatabase(config) }, 'sink is running');
      const signal = await stopSignal;
      log.info({ signal }, 'sink flushing and stopping');
      await sink.stop();
      log.info({ files: sink.filesWritten, events: sink.eventsWritten }, 'sink stopped');
      return 0;
    } finally {
      await metricsListener?.close();
      await container.close();
    }
  },
};
