import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** What the outbox hands its checkpoint worker (see checkpointer.ts). */
export interface CheckpointWorkerData {
  file: string;
  intervalMs: number;
  /** Set to 1 (and notified) once this worker's connection is closed. */
  closed: Int32Array;
}

/**
 * Copies the outbox's write-ahead log into the database file every `intervalMs`, on a
 * connection of its own. PASSIVE: it never waits for, nor blocks, the API's inserts; the
 * fsync it ends with happens on this thread instead of the request loop.
 */
const { file, intervalMs, closed } = workerData as CheckpointWorkerData;
const db = new Database(file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

const timer = setInterval(() => {
  try {
    checkpoint.run();
  } catch (err) {
    // SQLITE_BUSY while another connection checkpoints: the next turn catches up
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
  }
}, intervalMs);

parentPort?.on('message', (message: 'stop') => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  Atomics.store(closed, 0, 1);
  Atomics.notify(closed, 0);
  parentPort?.close();
});
