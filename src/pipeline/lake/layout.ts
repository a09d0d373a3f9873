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

/**
 * The widest a file of the sink is in event time: every event of it lies within this of the
 * file's first event, before or after. The age rule alone bounds a file by `LOG_FLUSH_MAX_AGE_MS`
 * plus the sink's lag, and the lag has no bound (a sink catching up after a day away reads a
 * day's events in seconds); so the sink also cuts a batch at an event farther than this from the
 * batch's first (ADR 18). Readers pick files of a time range from their names with this margin.
 * Two hours: twice the longest default age (1 h), so the cut never fires on a sink that keeps up.
 */
export const FILE_SPAN_MS = 2 * 60 * 60 * 1000;

/**
 * Sources whose files the span rule does not bound: the demo's one file of a week of synthetic
 * views (docs/lake.md). Readers always read them and compaction leaves them as they are.
 */
export const SPAN_FREE_SOURCES: ReadonlySet<string> = new Set(['demo']);

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
  /** For a compacted day file (`20261127-day.parquet`): its KST day, `2026-11-27`. */
  day?: string;
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
const DAY_NAME = /^(\d{4})(\d{2})(\d{2})-day\.parquet$/;

/**
 * `logs/{topic}/{YYYYMMDD}-day.parquet`: what `compact-lake` makes of the sink's files named on
 * one KST day (`day` is `YYYY-MM-DD`). It sorts before that day's sink files.
 */
export function dayFileKey(topic: Topic, day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a YYYY-MM-DD day: ${day}`);
  return `${topicPrefix(topic)}${day.replace(/-/g, '')}-day${EXTENSION}`;
}

/** The instant a batch name's KST stamp (`20261127T211530.123`) stands for, in epoch ms. */
export function stampMs(stamp: string): number {
  const iso = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13)}+09:00`;
  return Date.parse(iso);
}

/** The KST day (`YYYY-MM-DD`) of a batch name's stamp. */
export function stampDay(stamp: string): string {
  return `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}`;
}

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
  const day = DAY_NAME.exec(file);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const probe = new Date(Date.UTC(y, m - 1, d));
    const real = probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
    return real ? { topic, file, day: `${day[1]}-${day[2]}-${day[3]}` } : { topic, file };
  }
  const match = BATCH_NAME.exec(file);
  if (!match) return { topic, file };
  return { topic, file, batch: { stamp: match[1]!, source: match[2]!, partition: Number(match[3]), firstOffset: Number(match[4]) } };
}
