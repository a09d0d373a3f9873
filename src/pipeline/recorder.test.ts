import { describe, expect, it } from 'vitest';
import { fixedClock } from '../platform/clock.js';
import { createIdGenerator } from '../platform/ids.js';
import type { LoggedEvent } from './events.js';
import { openOutbox } from './outbox/outbox.js';
import type { PipelineLog } from './pipeline-log.js';
import { createOutboxRecorder } from './recorder.js';

const clock = fixedClock('2026-11-27T03:04:05.678Z');

describe('the outbox recorder', () => {
  it('when an action is recorded, then once durable the outbox holds the whole event keyed by user', async () => {
    const outbox = openOutbox(':memory:');
    const recorder = createOutboxRecorder({ outbox, clock, ids: createIdGenerator(clock), log: console });
    recorder.record('Signup_log', 'signup', { user_id: 'alice', device: 'UA', gender: 'F', birth_year: 1990 }, {
      status: 'success',
      requested_id: 'alice',
      email: 'alice@example.com',
      birthday: '1990-01-02',
      skipped: undefined,
    });
    expect(outbox.size()).toBe(0); // not yet: committed with the rest of this turn's events
    await recorder.durable();
    const [row] = outbox.readAny(10);
    expect(row).toMatchObject({ topic: 'Signup_log', key: 'alice', id: 1 });
    const event = JSON.parse(row!.payload) as LoggedEvent;
    expect(event).toEqual({
      event_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      timestamp: '2026-11-27T12:04:05.678+09:00',
      topic: 'Signup_log',
      action: 'signup',
      user_id: 'alice',
      device: 'UA',
      gender: 'F',
      birth_year: 1990,
      status: 'success',
      requested_id: 'alice',
    });
  });

  it('when the outbox cannot be written, then recording neither throws nor stays silent', async () => {
    const outbox = openOutbox(':memory:');
    outbox.close();
    const errors: string[] = [];
    const log: PipelineLog = { info: () => {}, warn: () => {}, error: (_o, msg) => errors.push(msg) };
    const recorder = createOutboxRecorder({ outbox, clock, ids: createIdGenerator(clock), log });
    expect(() => recorder.record('Search_log', 'search', { user_id: 'anonymous', device: '' }, {})).not.toThrow();
    await recorder.durable();
    expect(() => recorder.record('Search_log', 'search', { user_id: 'anonymous', device: '' }, {})).not.toThrow();
    await recorder.durable();
    expect(errors).toEqual(['could not record events in the outbox']);
  });
});
