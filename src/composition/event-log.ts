/**
 * The composition root's event-log half: which outbox, bus (embedded or Kafka) and lake (local
 * or S3) the configuration selects, the recorder in front of them and the sink behind them.
 * Only `container.ts` imports this file.
 */
import { fileURLToPath } from 'node:url';
import type { PipelineConfig } from '../config/config.js';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import { createEmbeddedBus } from '../pipeline/event-bus/embedded-bus.js';
import type { EventBus } from '../pipeline/event-bus/event-bus.js';
import { createKafkaBus } from '../pipeline/event-bus/kafka-bus.js';
import { type EventRecorder, noEvents } from '../pipeline/events.js';
import type { Lake } from '../pipeline/lake/lake.js';
import { createLocalLake } from '../pipeline/lake/local-lake.js';
import { createS3Lake, parseS3Url } from '../pipeline/lake/s3-lake.js';
import { openOutbox, outboxFileOf, type Outbox } from '../pipeline/outbox/outbox.js';
import type { PipelineLog } from '../pipeline/pipeline-log.js';
import { type Pipeline, pipelineHealth } from '../pipeline/pipeline.js';
import { createOutboxRecorder, type OutboxRecorder } from '../pipeline/recorder.js';
import { EventSink } from '../pipeline/sink/sink.js';
import { createWorkerEncoder, type ParquetEncoder } from '../pipeline/sink/encoder.js';

export interface EventLogDeps {
  clock: Clock;
  ids: IdGenerator;
  log: PipelineLog;
  /** A lake to use instead of the one LAKE_URL names (tests); the caller closes it. */
  lake?: Lake | undefined;
}

/** The bus EVENT_BUS names: the outbox itself (embedded) or Kafka fed from the outbox. */
function createBus(config: PipelineConfig, outbox: Outbox, log: PipelineLog): EventBus {
  if (config.bus === 'kafka') {
    return createKafkaBus(
      {
        brokers: config.kafkaBrokers,
        clientId: config.kafkaClientId,
        maxBatchBytes: config.kafkaMaxBatchBytes,
        topicPartitions: config.kafkaTopicPartitions,
        replicationFactor: config.kafkaReplicationFactor,
      },
      {
        outbox,
        log,
        groupTimings: {
          sessionTimeout: config.kafkaSessionTimeoutMs,
          rebalanceTimeout: Math.max(config.kafkaSessionTimeoutMs, 10_000),
          heartbeatInterval: Math.max(100, Math.floor(config.kafkaSessionTimeoutMs / 10)),
        },
      },
    );
  }
  // The sink lock's heartbeats use the system clock: liveness is wall time, even under TICKETMOA_NOW.
  return createEmbeddedBus(outbox, { log });
}

/** The lake LAKE_URL names: a local folder (`file://`) or an S3 bucket and prefix (`s3://`). */
function createLake(config: PipelineConfig): Lake & { close(): void } {
  if (config.lakeUrl.startsWith('s3:')) {
    return createS3Lake({
      ...parseS3Url(config.lakeUrl),
      endpoint: config.s3Endpoint,
      region: config.s3Region,
      forcePathStyle: config.s3ForcePathStyle,
      connectTimeoutMs: config.s3ConnectTimeoutMs,
      requestTimeoutMs: config.s3RequestTimeoutMs,
    });
  }
  return { ...createLocalLake(fileURLToPath(config.lakeUrl)), close: () => {} };
}

/** Opens the event log of one process: outbox, bus, lake and recorder; the sink starts on demand. */
export function createEventLog(config: PipelineConfig, dataDir: string, deps: EventLogDeps): Pipeline {
  const { clock, ids, log } = deps;
  // a process that records events commits on its request loop: its checkpoints go to a worker
  const outbox = openOutbox(outboxFileOf(dataDir), {
    ids,
    checkpoints: config.events ? 'background' : 'inline',
    onCheckpointFailure: (err) => log.error({ err }, 'outbox checkpoints went back inline: the checkpoint worker failed'),
  });
  const bus = createBus(config, outbox, log);
  const ownLake = deps.lake === undefined ? createLake(config) : undefined;
  const lake = deps.lake ?? ownLake!;
  const outboxRecorder: OutboxRecorder | undefined = config.events
    ? createOutboxRecorder({ outbox, clock, ids, log, maxRows: config.outboxMaxRows })
    : undefined;
  const recorder: EventRecorder = outboxRecorder ?? noEvents;
  let encoder: ParquetEncoder | undefined;
  /** The sink this process runs, if any. */
  let running: EventSink | undefined;
  return {
    outbox,
    recorder,
    bus,
    lake,
    async startSink(options = {}) {
      if (options.encodeOffThread) encoder ??= createWorkerEncoder();
      const sink = new EventSink(
        { consumer: bus.consumer(config.kafkaGroupId), lake, clock, log, ...(options.encodeOffThread ? { encoder } : {}) },
        { maxEvents: config.flushMaxEvents, maxAgeMs: options.standalone ? config.sinkCommandFlushMaxAgeMs : config.flushMaxAgeMs },
      );
      await sink.start();
      running = sink;
      return sink;
    },
    startForwarder() {
      const forwarder = bus.forwarder();
      forwarder.start();
      return forwarder;
    },
    pending: () => ({
      bus: bus.kind,
      outbox: { events: outbox.sizeEstimate(), perTopic: outbox.sizeEstimateByTopic(), oldestTimestamp: outbox.oldestPendingTimestamp() },
      sink: running?.running ? { ...running.flushRule, buffers: running.bufferStatus() } : undefined,
    }),
    lakeWrites: () => running?.filesWritten ?? 0,
    health: () => pipelineHealth({ outbox, bus, recorder: outboxRecorder, clock, outboxMaxRows: config.outboxMaxRows }),
    close() {
      void encoder?.close();
      outboxRecorder?.flush();
      ownLake?.close();
      outbox.close();
    },
  };
}
