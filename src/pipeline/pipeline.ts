import type { PipelineConfig } from '../config/config.js';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import { createEmbeddedBus } from './event-bus/embedded-bus.js';
import type { BusForwarder, EventBus } from './event-bus/event-bus.js';
import { createKafkaBus } from './event-bus/kafka-bus.js';
import { type EventRecorder, noEvents } from './events.js';
import { createLake } from './lake/create-lake.js';
import type { Lake } from './lake/lake.js';
import { openOutbox, outboxFileOf, type Outbox } from './outbox/outbox.js';
import type { PipelineLog } from './pipeline-log.js';
import { createOutboxRecorder, type OutboxRecorder } from './recorder.js';
import { EventSink } from './sink/sink.js';

export interface PipelineDeps {
  clock: Clock;
  ids: IdGenerator;
  log: PipelineLog;
}

/** What `/healthz` shows of the event log. */
export interface PipelineHealth {
  /** `degraded` while events are being lost (outbox unwritable or full) or the outbox is nearly full. */
  status: 'ok' | 'degraded';
  bus: EventBus['kind'];
  /** Events waiting in the local outbox (not yet in the lake on the embedded bus, not yet in Kafka on Kafka). */
  backlog: number;
  /** Age of the oldest waiting event, ms (0 when none). */
  oldestAgeMs: number;
  /** Answered requests whose event could not be stored, since start. */
  lost: number;
  lastError?: string;
  /** Events the bus refused for good, kept aside in the outbox. */
  setAside: number;
  outboxMaxRows: number;
}

/** The event log's parts for one process: outbox, recorder, bus and lake. */
export interface Pipeline {
  outbox: Outbox;
  recorder: EventRecorder;
  bus: EventBus;
  lake: Lake;
  /** Starts a sink reading the bus (in `serve` unless TICKETMOA_SINK=off, and in `sink`). */
  startSink(): Promise<EventSink>;
  /** Starts moving the outbox onto the bus (Kafka only; the embedded bus reads the outbox). */
  startForwarder(): BusForwarder;
  health(): PipelineHealth;
  close(): void;
}

export function createPipeline(config: PipelineConfig, dataDir: string, deps: PipelineDeps): Pipeline {
  const outbox = openOutbox(outboxFileOf(dataDir), { ids: deps.ids });
  const bus: EventBus =
    config.bus === 'kafka'
      ? createKafkaBus(
          {
          brokers: config.kafkaBrokers,
          clientId: config.kafkaClientId,
          maxBatchBytes: config.kafkaMaxBatchBytes,
          topicPartitions: config.kafkaTopicPartitions,
          replicationFactor: config.kafkaReplicationFactor,
        },
          {
            outbox,
            log: deps.log,
            groupTimings: {
              sessionTimeout: config.kafkaSessionTimeoutMs,
              rebalanceTimeout: Math.max(config.kafkaSessionTimeoutMs, 10_000),
              heartbeatInterval: Math.max(100, Math.floor(config.kafkaSessionTimeoutMs / 10)),
            },
          },
        )
      : // The sink lock's heartbeats use the system clock: liveness is wall time, even under TICKETMOA_NOW.
        createEmbeddedBus(outbox, { log: deps.log });
  const lake = createLake(config);
  const outboxRecorder: OutboxRecorder | undefined = config.events
    ? createOutboxRecorder({ outbox, clock: deps.clock, ids: deps.ids, log: deps.log, maxRows: config.outboxMaxRows })
    : undefined;
  const recorder: EventRecorder = outboxRecorder ?? noEvents;
  return {
    outbox,
    recorder,
    bus,
    lake,
    async startSink() {
      const sink = new EventSink(
        { consumer: bus.consumer(config.kafkaGroupId), lake, clock: deps.clock, log: deps.log },
        { maxEvents: config.flushMaxEvents, maxAgeMs: config.flushMaxAgeMs },
      );
      await sink.start();
      return sink;
    },
    startForwarder() {
      const forwarder = bus.forwarder();
      forwarder.start();
      return forwarder;
    },
    health() {
      const recorder = outboxRecorder?.health();
      const backlog = outbox.sizeEstimate();
      const oldest = outbox.oldestPendingTimestamp();
      const nearlyFull = backlog >= 0.8 * config.outboxMaxRows;
      return {
        status: recorder?.degraded || nearlyFull ? 'degraded' : 'ok',
        bus: bus.kind,
        backlog,
        oldestAgeMs: oldest === undefined ? 0 : Math.max(0, deps.clock.now().getTime() - Date.parse(oldest)),
        lost: recorder?.lost ?? 0,
        ...(recorder?.lastError === undefined ? {} : { lastError: recorder.lastError }),
        setAside: outbox.setAsideCount(),
        outboxMaxRows: config.outboxMaxRows,
      };
    },
    close() {
      outboxRecorder?.flush();
      lake.close();
      outbox.close();
    },
  };
}
