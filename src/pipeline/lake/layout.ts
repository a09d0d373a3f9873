import { isTopic, type Topic } from '../events.js';

/**
 * Where event files sit in the lake (docs/lake.md). This module is the only place that spells
 * the layout; the sink, repair, the readers and every test take keys from here.
 *
 * ```
 * logs/{topic}/{KST time of the first event}-{source}-p{partition}-o{first offset}.parquet
 * ```
 */

/** Every event file is under this prefix. */
export const LAKE_ROOT = 'logs/';

const EXTENSION = '.parquet';

/** The folder of one topic's files, with its trailing slash: `logs/Search_log/`. */
export function topicPrefix(topic: Topic): string {
  return `${LAKE_ROOT}${topic}/`;
}

/** What names a file the sink writes: one batch of one topic's partition. */
export interface EventFileName {
  topic: Topic;
  /** The bus partition the batch came from. */
  partition: number;
  /** The bus offset of the batch's first event: a redelivered batch gets the same name. */
  firstOffset: number;
  /** The first event's KST ISO timestamp (`2026-11-27T21:15:30.123+09:00`). */
  firstTimestamp: string;
  /** The embedded outbox's log id, or `kafka`: instances sharing a lake never write the same name. */
  source: string;
}

/** `logs/{topic}/{KST time of the first event}-{source}-p{partition}-o{first offset}.parquet` */
export function eventFileKey(name: EventFileName): string {
  const stamp = name.firstTimestamp.slice(0, 23).replace(/[-:]/g, '');
  return `${topicPrefix(name.topic)}${stamp}-${name.source}-p${name.partition}-o${String(name.firstOffset).padStart(12, '0')}${EXTENSION}`;
}

/** A key under the layout, taken apart. */
export interface LakeKey {
  topic: Topic;
  /** The key after the topic's folder, extension included (`20261127T211530.123-kafka-p2-o000000004000.parquet`). */
  file: string;
  /** The batch the sink named the file after; absent for a file named otherwise (copied in, or by hand). */
  batch?: {
    /** The first event's KST time as the name writes it: `20261127T211530.123`. */
    stamp: string;
    source: string;
    partition: number;
    firstOffset: number;
  };
}

const BATCH_NAME = /^(\d{8}T\d{6}\.\d{3})-(.+)-p(\d+)-o(\d+)\.parquet$/;

/**
 * An event file's key taken apart, or undefined for a key that is not an event file:
 * outside `logs/`, under an unknown topic, or not a `.parquet` file.
 */
export function parseLakeKey(key: string): LakeKey | undefined {
  if (!key.startsWith(LAKE_ROOT) || !key.endsWith(EXTENSION)) return undefined;
  const slash = key.indexOf('/', LAKE_ROOT.length);
  if (slash < 0) return undefined;
  const topic = key.slice(LAKE_ROOT.length, slash);
  const file = key.slice(slash + 1);
  if (!isTopic(topic)) return undefined;
  const match = BATCH_NAME.exec(file);
  if (!match) return { topic, file };
  return { topic, file, batch: { stamp: match[1]!, source: match[2]!, partition: Number(match[3]), firstOffset: Number(match[4]) } };
}
