import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock, systemClock } from '../../platform/clock.js';
import { tempOutboxes } from '../../test-support/temp-outboxes.js';
import { until } from '../../test-support/until.js';
import { createEmbeddedBus } from '../event-bus/embedded-bus.js';
import type { BusSubscriber } from '../event-bus/event-bus.js';
import { silentLog } from '../pipeline-log.js';
import { acquireSinkLock, SinkLockedError } from './sink-lock.js';

const { outboxFile, open, cleanUp } = tempOutboxes();
afterEach(cleanUp);

const idle: BusSubscriber = { onBatch: async () => {}, onReset: async () => {} };
const options = { clock: systemClock, log: silentLog };

describe('one sink per data directory', () => {
  it('when a second sink starts on the same outbox, then it is refused with who holds it and what to do, until the first stops', async () => {
    const file = outboxFile();
    const first = createEmbeddedBus(open(file), { pollMs: 10 }).consumer('sink');
    const second = createEmbeddedBus(open(file), { pollMs: 10 }).consumer('sink');
    await first.start(idle);
    const refusal = second.start(idle);
    await expect(refusal).rejects.toThrow(SinkLockedError);
    await expect(refusal).rejects.toThrow(
      `another sink (pid ${process.pid} on ${hostname()}) is using this data directory; the embedded event bus takes one sink only: ` +
        'run "ticketmoa serve" with TICKETMOA_SINK=off, or stop the other sink',
    );
    await first.stop();
    await second.start(idle);
    await second.stop();
  });

  it('when the holder is on another machine, then only a heartbeat older than the stale limit frees the lock', () => {
    const clock = manualClock('2026-11-27T03:00:00Z');
    const outbox = open();
    const elsewhere = { token: 'other', pid: 1, host: 'another-host', pidSpace: '', heartbeatAt: clock.now().getTime() };
    outbox.sinkLock.take(elsewhere, () => false);
    clock.advance(60_000);
    expect(() => acquireSinkLock(outbox.sinkLock, { clock, log: silentLog, staleAfterMs: 60_000 })).toThrow(SinkLockedError);
    clock.advance(1);
    const lock = acquireSinkLock(outbox.sinkLock, { clock, log: silentLog, staleAfterMs: 60_000 });
    expect(outbox.sinkLock.holder()?.pid).toBe(process.pid);
    lock.release();
    expect(outbox.sinkLock.holder()).toBeUndefined();
  });

  it('when the holder has this process id but is not this process (a restarted container), then it is gone', () => {
    const outbox = open();
    const lock = acquireSinkLock(outbox.sinkLock, options);
    const mine = outbox.sinkLock.holder()!;
    lock.release();
    outbox.sinkLock.take({ ...mine, token: 'a previous life' }, () => false);
    acquireSinkLock(outbox.sinkLock, options).release();
  });

  it('when another sink takes the lock over, then this one notices at its next heartbeat and stops being writable', async () => {
    const outbox = open();
    const consumer = createEmbeddedBus(outbox, { pollMs: 10, lock: { heartbeatMs: 10 } }).consumer('sink');
    await consumer.start(idle);
    expect(consumer.writable()).toBe(true);
    outbox.sinkLock.take({ token: 'usurper', pid: 1, host: 'another-host', pidSpace: '', heartbeatAt: 0 }, () => true);
    await until('the consumer has noticed', () => !consumer.writable());
    await expect(consumer.commit({ topic: 'Search_log', partition: 0, offset: 1 })).rejects.toThrow(/took this data directory over/);
    await consumer.stop();
    expect(outbox.sinkLock.holder()?.token).toBe('usurper');
  });
});
