import { Worker } from 'node:worker_threads';
import type { LoggedEvent, Topic } from '../events.js';
import { workerScript } from '../../platform/worker-script.js';
import { writeEventsParquet } from './parquet.js';
import type { EncodeAnswer, EncodeRequest } from './parquet-worker.js';

/** Turns one batch of a topic's events into Parquet bytes. */
export interface ParquetEncoder {
  encode(topic: Topic, events: LoggedEvent[]): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Encodes on the calling thread: for the `sink` process, which has nothing else to serve. */
export const inlineEncoder: ParquetEncoder = {
  encode: async (topic, events) => writeEventsParquet(topic, events),
  close: async () => {},
};

/**
 * Encodes in a worker thread, so a 1000-event file costs the API's event loop only the copy of
 * the events, not the encoding. The worker starts on first use, does not keep the process alive,
 * and is started again if it dies.
 */
export function createWorkerEncoder(): ParquetEncoder {
  let worker: Worker | undefined;
  let next = 0;
  const pending = new Map<number, { resolve(bytes: Uint8Array): void; reject(err: Error): void }>();

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    worker = undefined;
  };
  const started = (): Worker => {
    if (worker) return worker;
    const w = new Worker(workerScript(import.meta.url, './parquet-worker.js'));
    w.unref();
    w.on('message', (answer: EncodeAnswer) => {
      const waiting = pending.get(answer.id);
      if (!waiting) return;
      pending.delete(answer.id);
      if ('bytes' in answer) waiting.resolve(answer.bytes);
      else waiting.reject(new Error(`Parquet encoding failed: ${answer.error}`));
    });
    w.on('error', (err) => failAll(err));
    w.on('exit', (code) => {
      if (worker === w) failAll(new Error(`the Parquet worker exited (code ${code})`));
    });
    worker = w;
    return w;
  };

  return {
    encode(topic, events) {
      return new Promise((resolve, reject) => {
        const id = ++next;
        pending.set(id, { resolve, reject });
        const request: EncodeRequest = { id, topic, events };
        started().postMessage(request);
      });
    },
    async close() {
      const w = worker;
      worker = undefined;
      if (w) await w.terminate();
    },
  };
}
