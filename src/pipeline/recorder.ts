import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import { kstTimestamp } from '../platform/kst.js';
import { type Actor, type EventFields, type EventRecorder, type LoggedEvent, SETTLED, type Topic } from './events.js';
import type { Outbox } from './outbox/outbox.js';
import type { PipelineLog } from './pipeline-log.js';

export interface OutboxRecorderDeps {
  outbox: Outbox;
  clock: Clock;
  ids: Pick<IdGenerator, 'uuid'>;
  log: PipelineLog;
}

export interface OutboxRecorder extends EventRecorder {
  durable(): Promise<void>;
  /** Commits what is waiting now (shutdown). */
  flush(): void;
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
 * a busy API pays one commit per batch instead of one per request. Failures are logged (at most
 * once a minute) and swallowed: a request never fails because of its log line.
 */
export function createOutboxRecorder(deps: OutboxRecorderDeps): OutboxRecorder {
  let lastWarning = -Infinity;
  let queue: [Topic, string, string][] = [];
  let pending: Promise<void> | undefined;
  let release: () => void = () => {};

  const warn = (err: unknown, what: string) => {
    const now = deps.clock.now().getTime();
    if (now - lastWarning >= 60_000 || now < lastWarning) {
      lastWarning = now;
      deps.log.error({ err }, what);
    }
  };

  const commit = () => {
    const batch = queue;
    const done = release;
    queue = [];
    pending = undefined;
    try {
      if (batch.length > 0) deps.outbox.appendMany(batch);
    } catch (err) {
      warn(err, 'could not record events in the outbox');
    }
    done();
  };

  return {
    record(topic, action, actor, fields) {
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
        warn(err, 'could not record an event');
      }
    },
    durable: () => pending ?? SETTLED,
    flush: () => {
      if (pending) commit();
    },
  };
}
