import type { SchemaElement } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { ColumnSource } from 'hyparquet-writer';
import type { LoggedEvent, Topic } from '../events.js';

export type ColumnKind = 'string' | 'int' | 'timestamp';

const COMMON: ReadonlyArray<[string, ColumnKind]> = [
  ['event_id', 'string'],
  ['timestamp', 'timestamp'],
  ['topic', 'string'],
  ['action', 'string'],
  ['user_id', 'string'],
  ['device', 'string'],
  ['gender', 'string'],
  ['birth_year', 'int'],
];

// `error` says why a login or logout failed (invalid_token, kakao_unavailable, …).
const STATUS: ReadonlyArray<[string, ColumnKind]> = [
  ['status', 'string'],
  ['error', 'string'],
];

/** One fixed schema per topic: the common columns, then the per-topic fields of docs/contract.md §3. */
export const TOPIC_COLUMNS: Readonly<Record<Topic, ReadonlyArray<[string, ColumnKind]>>> = {
  Search_log: [
    ...COMMON,
    ['keyword', 'string'],
    ['category', 'string'],
    ['region', 'string'],
    ['start_date', 'string'],
    ['end_date', 'string'],
    ['result_count', 'int'],
    // /v1/search only (null for the legacy /search): how the query matched, best tier first
    // (comma-separated, e.g. `prefix,choseong`), and the 1-based page asked for
    ['matched_as', 'string'],
    ['page', 'int'],
  ],
  View_detail_log: [...COMMON, ['ticket_id', 'string'], ['title', 'string'], ['category', 'string']],
  Signup_log: [...COMMON, ['status', 'string'], ['error', 'string'], ['requested_id', 'string']],
  Validate: [...COMMON, ...STATUS],
  Login_log: [...COMMON, ...STATUS],
  Logout_log: [...COMMON, ...STATUS],
  KakaoLogin_log: [...COMMON, ...STATUS],
  KakaoLogout_log: [...COMMON, ...STATUS],
  // action `like` or `unlike`; status `changed`, or `unchanged` for a repeated like or unlike
  Like_log: [...COMMON, ['ticket_id', 'string'], ['title', 'string'], ['category', 'string'], ['status', 'string']],
};

function schemaElement(name: string, kind: ColumnKind): SchemaElement {
  const base = { name, repetition_type: 'OPTIONAL' as const };
  if (kind === 'string') return { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
  // No INTEGER logical_type: hyparquet-writer encodes its bitWidth as a Thrift i32 where the
  // format says i8, and DuckDB and Arrow then reject the whole footer. INT32 with the converted
  // type INT_32 is the same signed 32-bit integer to every reader.
  if (kind === 'int') return { ...base, type: 'INT32', converted_type: 'INT_32' };
  return {
    ...base,
    type: 'INT64',
    converted_type: 'TIMESTAMP_MILLIS',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
  };
}

function cell(kind: ColumnKind, value: LoggedEvent[string]): string | number | null {
  if (value === null || value === undefined) return null;
  if (kind === 'string') return typeof value === 'string' ? value : String(value);
  if (kind === 'int') {
    const n = typeof value === 'number' ? value : Number(value);
    return Number.isInteger(n) && Math.abs(n) <= 0x7fffffff ? n : null;
  }
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? null : ms;
}

/** The Parquet schema of one topic's files: what the sink writes and compaction keeps. */
export function topicSchema(topic: Topic): SchemaElement[] {
  const columns = TOPIC_COLUMNS[topic];
  return [{ name: 'root', num_children: columns.length }, ...columns.map(([name, kind]) => schemaElement(name, kind))];
}

/** Snappy Parquet bytes for one topic's events, with that topic's typed schema (read back by `lake/lake-reader.ts`). */
export function writeEventsParquet(topic: Topic, events: readonly LoggedEvent[]): Uint8Array {
  const columns = TOPIC_COLUMNS[topic];
  const columnData: ColumnSource[] = columns.map(([name, kind]) => ({
    name,
    data: events.map((e) => cell(kind, e[name])),
  }));
  const schema = topicSchema(topic);
  const buffer = parquetWriteBuffer({
    columnData,
    schema,
    codec: 'SNAPPY',
    rowGroupSize: 100_000,
    createdBy: 'ticketmoa sink',
  });
  return new Uint8Array(buffer);
}
