import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import { kstTimestamp } from '../platform/kst.js';
import type { Actor, EventFields, EventRecorder, LoggedEvent, Topic } from './events.js';
import type { Outbox } from './outbox/outbox.js';
import type { PipelineLog } from './pipeline-log.js';

export interface OutboxRecorderDeps {
  outbox: Outbox;
  clock: Clock;
  ids: Pick<IdGenerator, 'uuid'>;
  log: PipelineLog;
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
 * Appends each event to the local outbox before the response goes out. A failure is logged
 * (at most once a minute) and swallowed: the request must never fail because of its log line.
 */
export function createOutboxRecorder(deps: OutboxRecorderDeps): EventRecorder {
  let lastWarning = -Infinity;
  return {
    record(topic, action, actor, fields) {
      try {
        const event = buildEvent(deps, topic, action, actor, fields);
        deps.outbox.append(topic, event.user_id, JSON.stringify(event));
      } catch (err) {
        const now = deps.clock.now().getTime();
        if (now - lastWarning >= 60_000 || now < lastWarning) {
          lastWarning = now;
          deps.log.error({ err, topic }, 'could not record an event in the outbox');
        }
      }
    },
  };
}
