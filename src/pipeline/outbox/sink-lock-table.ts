import type Database from 'better-sqlite3';

/** Who holds the sink lock of one outbox. */
export interface SinkLockHolder {
  /** Unique per lock taken (process incarnation and count). */
  token: string;
  pid: number;
  host: string;
  /** The pid namespace the pid belongs to (containers sharing a host name may differ). */
  pidSpace: string;
  /** Epoch ms of the holder's last heartbeat, by its clock. */
  heartbeatAt: number;
}

/** The storage side of the sink lock: one row in the outbox file. The policy is in `sink-lock.ts`. */
export interface SinkLockTable {
  /**
   * Takes the lock when nobody holds it or `isStale(holder)`; returns whoever holds it afterwards.
   * Check and write share one IMMEDIATE transaction, so two sinks starting together cannot both win.
   */
  take(me: SinkLockHolder, isStale: (holder: SinkLockHolder) => boolean): SinkLockHolder;
  /** Refreshes the heartbeat; false when the lock is no longer `token`'s. */
  renew(token: string, at: number): boolean;
  release(token: string): void;
  holder(): SinkLockHolder | undefined;
}

export function createSinkLockTable(db: Database.Database): SinkLockTable {
  db.exec(`CREATE TABLE IF NOT EXISTS sink_lock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    token TEXT NOT NULL,
    pid INTEGER NOT NULL,
    host TEXT NOT NULL,
    pid_space TEXT NOT NULL,
    heartbeat_at INTEGER NOT NULL
  );`);
  const select = db.prepare('SELECT token, pid, host, pid_space AS pidSpace, heartbeat_at AS heartbeatAt FROM sink_lock WHERE id = 1');
  const put = db.prepare(
    `INSERT OR REPLACE INTO sink_lock (id, token, pid, host, pid_space, heartbeat_at)
     VALUES (1, @token, @pid, @host, @pidSpace, @heartbeatAt)`,
  );
  const renew = db.prepare('UPDATE sink_lock SET heartbeat_at = ? WHERE id = 1 AND token = ?');
  const release = db.prepare('DELETE FROM sink_lock WHERE id = 1 AND token = ?');
  const take = db.transaction((me: SinkLockHolder, isStale: (holder: SinkLockHolder) => boolean) => {
    const current = select.get() as SinkLockHolder | undefined;
    if (current && current.token !== me.token && !isStale(current)) return current;
    put.run(me);
    return me;
  });
  return {
    take: (me, isStale) => take.immediate(me, isStale),
    renew: (token, at) => renew.run(at, token).changes === 1,
    release: (token) => {
      release.run(token);
    },
    holder: () => select.get() as SinkLockHolder | undefined,
  };
}
