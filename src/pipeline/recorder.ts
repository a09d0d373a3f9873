import { performance } from 'node:perf_hooks';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import { kstTimestamp } from '../platform/kst.js';
import { type Actor, type EventFields, type EventRecorder, type LoggedEvent, SETTLED, type Topic } from './events.js';
import type { Outbox } from './outbox/outbox.js';
import { createOutboxGauge } from './outbox/outbox-gauge.js';
import type { PipelineLog } from './pipeline-log.js';

export interface OutboxRecorderDeps {
  outbox: Outbox;
  clock: Clock;
  ids: Pick<IdGenerator, 'uuid'>;
  log: PipelineLog;
  /** Pending outbox rows beyond which new events are refused and counted as lost (OUTBOX_MAX_ROWS). */
  maxRows?: number;
  /** How long after a loss `health()` still says degraded. */
  degradedForMs?: number;
  /** How often the running count of outbox rows is read again from the outbox. */
  sizeRefreshMs?: number;
}

/** What `/healthz` shows of the event log's front end. */
export interface RecorderHealth {
  /** Answered requests whose event was never stored, since start (outbox unwritable or full). */
  lost: number;
  /** Of `lost`, those refused because the outbox held `outboxMaxRows` rows. */
  lostOutboxFull: number;
  lastError?: string;
  /** ISO instant (injected clock) of the last loss. */
  lastErrorAt?: string;
  /** Rows waiting in the outbox, approximately (a running count, re-read every second). */
  outboxRows: number;
  outboxMaxRows: number;
  /** Events were lost in the last `degradedForMs`, or the outbox is full now. */
  degraded: boolean;
}

export interface OutboxRecorder extends EventRecorder {
  durable(): Promise<void>;
  /** Commits what is waiting now (shutdown). */
  flush(): void;
  health(): RecorderHealth;
}

/** Fields an actor may never smuggle into the log through per-topic fields. */
const FORBIDDEN = new Set(['email', 'phone', 'phoneNumber', 'birthday', 'ip', 'pw', 'password']);

export function buildEvent(
  deps: Pick<OutboxRecorderDeps, 'clock' | 'ids'>,
  topic: Topic,
  action: string,
  actor: Actor,
  fields: EventFields,
): LoggedEvent {
  const event: LoggedEvent = {
    event_id: deps.ids.uuid(),
    timestamp: kstTimestamp(deps.clock.now()),
    topic,
    action,
    user_id: actor.user_id,
    device: actor.device,
  };
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && !FORBIDDEN.has(name) && !(name in event)) event[name] = value;
  }
  if (actor.gender != null) event.gender = actor.gender;
  if (actor.birth_year != null) event.birth_year = actor.birth_year;
  return event;
}

/**
 * Records into the local outbox with group commit: events recorded in one turn of the event loop
 * are inserted in one transaction on the next, and `durable()` resolves after that commit. The
 * HTTP layer waits for it before answering, so every answered request's event is on disk, while
 * a busy API pays one commit per batch instead of one per request. Failures are counted, logged
 * (at most once a minute) and swallowed: a request never fails because of its log line. A full
 * outbox (its consumer has been away too long) refuses new events rather than filling the disk.
 */
export function createOutboxRecorder(deps: OutboxRecorderDeps): OutboxRecorder {
  const gauge = createOutboxGauge(deps.outbox, deps.maxRows ?? 2_000_000, deps.log, deps.sizeRefreshMs);
  const degradedForMs = deps.degradedForMs ?? 300_000;
  let lastWarning = -Infinity;
  let lost = 0;
  let lostOutboxFull = 0;
  let lastError: string | undefined;
  let lastErrorAt: string | undefined;
  let lastLossAt = -Infinity;
  let queue: [Topic, string, string][] = [];
  let pending: Promise<void> | undefined;
  let release: () => void = () => {};

  /** `what` undefined: the loss is reported elsewhere (the gauge announces a full outbox). */
  const lose = (count: number, err: unknown, what?: string) => {
    lost += count;
    lastError = err instanceof Error ? err.message : String(err);
    lastErrorAt = deps.clock.now().toISOString();
    lastLossAt = performance.now();
    if (what !== undefined && lastLossAt - lastWarning >= 60_000) {
      lastWarning = lastLossAt;
      deps.log.error({ err, lost }, what);
    }
  };

  const commit = () => {
    const batch = queue;
    const done = release;
    queue = [];
    pending = undefined;
    try {
      if (batch.length > 0) {
        deps.outbox.appendMany(batch);
        gauge.appended(batch.length);
      }
    } catch (err) {
      lose(batch.length, err, 'could not record events in the outbox');
    }
    done();
  };

  return {
    record(topic, action, actor, fields) {
      if (gauge.full(queue.length)) {
        lostOutboxFull += 1;
        lose(1, 'outbox full');
        return;
      }
      try {
        const event = buildEvent(deps, topic, action, actor, fields);
        // The bus key orders one user's events; anonymous events have no user to order by, so
        // their own id spreads them over every partition instead of piling them onto one.
        const key = event.user_id === 'anonymous' ? event.event_id : event.user_id;
        queue.push([topic, key, JSON.stringify(event)]);
        if (!pending) {
          pending = new Promise((resolve) => (release = resolve));
          setImmediate(commit);
        }
      } catch (err) {
        lose(1, err, 'could not record an event');
      }
    },
    durable: () => pending ?? SETTLED,
    flush: () => {
      if (pending) commit();
    },
    health: () => ({
      lost,
      lostOutboxFull,
      ...(lastError === undefined ? {} : { lastError, lastErrorAt }),
      outboxRows: gauge.rows(),
      outboxMaxRows: gauge.maxRows,
      degraded: gauge.full(0) || performance.now() - lastLossAt < degradedForMs,
    }),
  };
}
