import { describe, expect, it } from 'vitest';
import { fixedClock } from '../platform/clock.js';
import { createIdGenerator } from '../platform/ids.js';
import type { LoggedEvent } from './events.js';
import { openOutbox, type Outbox } from './outbox/outbox.js';
import type { PipelineLog } from './pipeline-log.js';
import { createOutboxRecorder } from './recorder.js';

const clock = fixedClock('2026-11-27T03:04:05.678Z');

describe('the outbox recorder', () => {
  it('when an action is recorded, then once durable the outbox holds the whole event keyed by user', async () => {
    const outbox = openOutbox(':memory:');
    const recorder = createOutboxRecorder({ outbox, clock, ids: createIdGenerator(clock), log: console });
    recorder.record(
      'Signup_log',
      'signup',
      { user_id: 'alice', device: 'UA', gender: 'F', birth_year: 1990 },
      {
        status: 'success',
        requested_id: 'alice',
        email: 'alice@example.com',
        birthday: '1990-01-02',
        skipped: undefined,
      },
    );
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

/** A log that keeps what it is told, as `level: message`. */
function capturingLog() {
  const lines: string[] = [];
  const log: PipelineLog = {
    info: (_o, msg) => lines.push(`info: ${msg}`),
    warn: (_o, msg) => lines.push(`warn: ${msg}`),
    error: (_o, msg) => lines.push(`error: ${msg}`),
  };
  return { log, lines };
}

const search = { user_id: 'anonymous', device: 'UA' };

describe('events the outbox could not take', () => {
  it('when the outbox write fails, then every event of the batch is counted as lost, logged once, and nothing throws', async () => {
    const real = openOutbox(':memory:');
    const outbox: Outbox = {
      ...real,
      appendMany: () => {
        throw new Error('SQLITE_FULL: database or disk is full');
      },
    };
    const { log, lines } = capturingLog();
    const recorder = createOutboxRecorder({ outbox, clock, ids: createIdGenerator(clock), log });
    expect(recorder.health()).toMatchObject({ lost: 0, degraded: false });
    expect(recorder.health().lastError).toBeUndefined();
    for (let i = 0; i < 3; i++) expect(() => recorder.record('Search_log', 'search', search, { keyword: `k${i}` })).not.toThrow();
    await recorder.durable();
    recorder.record('View_detail_log', 'view_detail', search, { ticket_id: 't' });
    await recorder.durable();
    expect(recorder.health()).toEqual({
      lost: 4,
      lostOutboxFull: 0,
      lastError: 'SQLITE_FULL: database or disk is full',
      lastErrorAt: '2026-11-27T03:04:05.678Z',
      outboxRows: 0,
      outboxMaxRows: 2_000_000,
      degraded: true,
    });
    expect(lines).toEqual(['error: could not record events in the outbox']);
    real.close();
  });

  it('when the outbox holds its bound, then new events are refused and counted, with warnings on the way and until it drains', async () => {
    const outbox = openOutbox(':memory:');
    const { log, lines } = capturingLog();
    const recorder = createOutboxRecorder({ outbox, clock, ids: createIdGenerator(clock), log, maxRows: 10, sizeRefreshMs: 0 });
    const record = async (n: number) => {
      for (let i = 0; i < n; i++) recorder.record('Search_log', 'search', search, { keyword: `k${i}` });
      await recorder.durable();
    };
    await record(4);
    expect(lines).toEqual([]);
    await record(1);
    expect(lines).toEqual(['warn: the outbox passed 50% of OUTBOX_MAX_ROWS: is the sink or forwarder keeping up?']);
    await record(3);
    expect(lines.slice(1)).toEqual(['warn: the outbox passed 80% of OUTBOX_MAX_ROWS: is the sink or forwarder keeping up?']);
    await record(5);
    await record(2);
    expect(outbox.size()).toBe(10);
    expect(recorder.health()).toMatchObject({ lost: 5, lostOutboxFull: 5, lastError: 'outbox full', outboxRows: 10, degraded: true });
    // Announced once, not once per refused event.
    expect(lines.slice(2)).toEqual(['error: the outbox is full: new events are refused and counted as lost until the sink or forwarder drains it']);

    outbox.commit('sink', 'Search_log', outbox.lastId('Search_log'), true);
    await record(2);
    expect(outbox.size()).toBe(2);
    expect(recorder.health()).toMatchObject({ lost: 5, outboxRows: 2 });
  });
});
