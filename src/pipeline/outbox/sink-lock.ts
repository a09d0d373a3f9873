import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../../platform/clock.js';
import type { PipelineLog } from '../pipeline-log.js';
import type { SinkLockHolder, SinkLockTable } from './sink-lock-table.js';

export interface SinkLockOptions {
  clock: Clock;
  log: PipelineLog;
  /**
   * A holder whose heartbeat is older than this is presumed gone even when its pid runs: the pid
   * may have been reused, or the holder is on another machine whose pids cannot be checked.
   */
  staleAfterMs?: number;
  heartbeatMs?: number;
}

export class SinkLockedError extends Error {
  constructor(readonly holder: SinkLockHolder) {
    super(
      `another sink (pid ${holder.pid} on ${holder.host}) is using this data directory; the embedded ` +
        'event bus takes one sink only: run "ticketmoa serve" with TICKETMOA_SINK=off, or stop the other sink',
    );
    this.name = 'SinkLockedError';
  }
}

export interface SinkLock {
  /** False once another sink took the lock over (this one looked dead to it): stop writing. */
  held(): boolean;
  release(): void;
}

// A holder with this process's pid but a token this process does not hold is a previous process
// that had the same pid (a restarted container often runs as pid 1): it is gone.
const heldHere = new Set<string>();
let taken = 0;

function pidSpaceOf(): string {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return '';
  }
}

function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the one-sink lock of an outbox, or throws `SinkLockedError` naming the live holder. A
 * holder killed with -9 does not block: on the same machine a dead pid frees the lock at once,
 * elsewhere a heartbeat older than `staleAfterMs` does.
 */
export function acquireSinkLock(table: SinkLockTable, options: SinkLockOptions): SinkLock {
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const heartbeatMs = options.heartbeatMs ?? Math.max(100, Math.floor(staleAfterMs / 6));
  const now = () => options.clock.now().getTime();
  const host = hostname();
  const pidSpace = pidSpaceOf();
  taken += 1;
  const me: SinkLockHolder = {
    token: `${host}:${process.pid}:${performance.timeOrigin}:${taken}`,
    pid: process.pid,
    host,
    pidSpace,
    heartbeatAt: now(),
  };
  const isStale = (h: SinkLockHolder) => {
    if (now() - h.heartbeatAt > staleAfterMs) return true;
    if (h.host !== host || h.pidSpace !== pidSpace) return false;
    if (h.pid === process.pid) return !heldHere.has(h.token);
    return !pidRuns(h.pid);
  };
  const holder = table.take(me, isStale);
  if (holder.token !== me.token) throw new SinkLockedError(holder);
  heldHere.add(me.token);

  let held = true;
  const lose = () => {
    held = false;
    clearInterval(timer);
    heldHere.delete(me.token);
  };
  const timer = setInterval(() => {
    try {
      if (table.renew(me.token, now())) return;
      lose();
      options.log.error({ holder: table.holder() }, 'another sink took this data directory over; this sink stops writing');
    } catch (err) {
      // A busy or failing database: the next beat tries again, well before the lock goes stale.
      options.log.warn({ err }, 'could not renew the sink lock');
    }
  }, heartbeatMs);
  timer.unref();

  return {
    held: () => held,
    release() {
      if (!held) return;
      lose();
      try {
        table.release(me.token);
      } catch (err) {
        options.log.warn({ err }, 'could not release the sink lock; the next sink finds this pid gone');
      }
    },
  };
}
