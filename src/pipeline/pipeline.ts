import type { Clock } from '../platform/clock.js';
import type { BusForwarder, EventBus } from './event-bus/event-bus.js';
import type { EventRecorder, Topic } from './events.js';
import type { Lake } from './lake/lake.js';
import type { Outbox } from './outbox/outbox.js';
import type { OutboxRecorder } from './recorder.js';
import type { EventSink } from './sink/sink.js';

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

/**
 * What is not in the lake yet, as this process can know it (the admin dashboard shows it). On the
 * embedded bus the outbox is the log the sink reads, so its rows are every event not yet in the
 * lake (the sink's buffers among them). On Kafka they are the events not yet forwarded to Kafka;
 * what Kafka and the sinks hold is known only to them.
 */
export interface PendingEvents {
  bus: EventBus['kind'];
  outbox: {
    events: number;
    perTopic: Record<Topic, number>;
    /** `timestamp` of the oldest waiting event. */
    oldestTimestamp: string | undefined;
  };
  /** The sink running in this process, or undefined when none does (TICKETMOA_SINK=off: it runs elsewhere). */
  sink:
    | {
        maxEvents: number;
        maxAgeMs: number;
        /** Non-empty buffers; `waitingSince`: ms since the epoch (the sink's clock) of the oldest event's arrival. */
        buffers: { topic: Topic; partition: number; events: number; waitingSince: number }[];
      }
    | undefined;
}

/**
 * The event log's parts for one process: outbox, recorder, bus and lake. The composition root
 * picks the adapters (`src/composition/event-log.ts`); this is what the rest of the code sees.
 */
export interface Pipeline {
  outbox: Outbox;
  recorder: EventRecorder;
  bus: EventBus;
  lake: Lake;
  /**
   * Starts a sink reading the bus (in `serve` unless TICKETMOA_SINK=off, and in `sink`).
   * `encodeOffThread`: Parquet files are encoded in a worker thread (`serve`, where the sink shares
   * the event loop with the API). `standalone`: the `ticketmoa sink` process, whose default flush
   * age is the hour of a separate sink rather than the seconds of the embedded `serve` default.
   */
  startSink(options?: { encodeOffThread?: boolean; standalone?: boolean }): Promise<EventSink>;
  /** Starts moving the outbox onto the bus (Kafka only; the embedded bus reads the outbox). */
  startForwarder(): BusForwarder;
  health(): PipelineHealth;
  /** Events not in the lake yet: the outbox, and the buffers of a sink running in this process. */
  pending(): PendingEvents;
  /** Files the sink running in this process has written (0 where none runs): a change means new events in the lake. */
  lakeWrites(): number;
  close(): void;
}

/** The outbox counts as nearly full (health `degraded`) from this share of OUTBOX_MAX_ROWS. */
const NEARLY_FULL = 0.8;

/** The event log's health from its outbox and recorder (undefined when events are off). */
export function pipelineHealth(parts: {
  outbox: Outbox;
  bus: EventBus;
  recorder: OutboxRecorder | undefined;
  clock: Clock;
  outboxMaxRows: number;
}): PipelineHealth {
  const { outbox, outboxMaxRows } = parts;
  const recorder = parts.recorder?.health();
  const backlog = outbox.sizeEstimate();
  const oldest = outbox.oldestPendingTimestamp();
  const nearlyFull = backlog >= NEARLY_FULL * outboxMaxRows;
  return {
    status: recorder?.degraded || nearlyFull ? 'degraded' : 'ok',
    bus: parts.bus.kind,
    backlog,
    oldestAgeMs: oldest === undefined ? 0 : Math.max(0, parts.clock.now().getTime() - Date.parse(oldest)),
    lost: recorder?.lost ?? 0,
    ...(recorder?.lastError === undefined ? {} : { lastError: recorder.lastError }),
    setAside: outbox.setAsideCount(),
    outboxMaxRows,
  };
}
