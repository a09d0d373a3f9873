import type { Actor, EventFields, EventRecorder, Topic } from '../pipeline/events.js';

export interface RecordedEvent {
  topic: Topic;
  action: string;
  actor: Actor;
  fields: EventFields;
}

/** An EventRecorder that keeps what it is given, for assertions. */
export function recordingEvents(): EventRecorder & {
  events: RecordedEvent[];
  of(topic: Topic): RecordedEvent[];
  /** Forgets everything recorded so far (a shared service starting the next test). */
  clear(): void;
} {
  const events: RecordedEvent[] = [];
  return {
    events,
    record: (topic, action, actor, fields) => void events.push({ topic, action, actor, fields }),
    of: (topic) => events.filter((e) => e.topic === topic),
    clear: () => void events.splice(0),
  };
}
