import { Worker } from 'node:worker_threads';
import { workerScript } from '../../platform/worker-script.js';
import type { CheckpointWorkerData } from './checkpoint-worker.js';

export interface Checkpointer {
  /**
   * Stops the worker and waits (synchronously, at most 2 s) until its connection is closed, so
   * that the caller's connection is the last one: closing it then removes the WAL files, and
   * nothing touches the directory afterwards.
   */
  stop(): void;
}

/**
 * Runs the outbox's WAL checkpoints in a worker thread. SQLite's automatic checkpoint runs inside
 * the commit that crosses 1000 pages, on the committing thread: for the API that is a request
 * turn that also waits for an fsync (a p99 of 10 ms on /detail instead of 3 ms). The caller turns
 * the automatic checkpoint off and calls `fallBack` if the worker dies, so the log never grows
 * without bound.
 */
export function startCheckpointer(file: string, intervalMs: number, fallBack: (err: Error) => void): Checkpointer {
  const closed = new Int32Array(new SharedArrayBuffer(4));
  const data: CheckpointWorkerData = { file, intervalMs, closed };
  const worker = new Worker(workerScript(import.meta.url, './checkpoint-worker.js'), { workerData: data });
  worker.unref();
  let stopping = false;
  const fail = (err: Error) => {
    if (stopping) return;
    stopping = true;
    fallBack(err);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the outbox checkpoint worker exited (code ${code})`)));
  return {
    stop() {
      if (stopping) return;
      stopping = true;
      worker.postMessage('stop');
      Atomics.wait(closed, 0, 0, 2000);
    },
  };
}
