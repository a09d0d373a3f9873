import { parentPort } from 'node:worker_threads';
import type { LoggedEvent, Topic } from '../events.js';
import { writeEventsParquet } from './parquet.js';

/** A request of the encoder (see encoder.ts) and its answer. */
export interface EncodeRequest {
  id: number;
  topic: Topic;
  events: LoggedEvent[];
}
export type EncodeAnswer = { id: number; bytes: Uint8Array } | { id: number; error: string };

parentPort?.on('message', ({ id, topic, events }: EncodeRequest) => {
  let answer: EncodeAnswer;
  try {
    answer = { id, bytes: writeEventsParquet(topic, events) };
  } catch (err) {
    answer = { id, error: err instanceof Error ? err.message : String(err) };
  }
  const transfer = 'bytes' in answer ? [answer.bytes.buffer as ArrayBuffer] : [];
  parentPort?.postMessage(answer, transfer);
});
