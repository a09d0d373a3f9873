import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import { stat } from 'node:fs/promises';
import type { Topic } from '../events.js';
import { TOPIC_COLUMNS, topicSchema } from '../sink/parquet.js';

/**
 * One compacted day file from its sources, through DuckDB: the sources' rows, each `event_id`
 * once, sorted by `timestamp`, streamed in row groups into a Parquet file of the sink's own
 * schema (written by the sink's writer, so the types stay exactly the sink's), then read back by
 * DuckDB to verify it. DuckDB sorts and de-duplicates under a memory limit, spilling to disk, so
 * a day of any size never sits in this process's memory: only one row group does.
 */

export interface DayMergeOptions {
  topic: Topic;
  /** Local Parquet files: the day's sink files and, when there is one, the day file of an earlier run. */
  inputs: readonly string[];
  output: string;
  /** Rows per row group (default 100,000). */
  rowGroupSize?: number;
  /** DuckDB's memory limit (default 256MB) and its spill folder. */
  memoryLimit?: string;
  tempDirectory: string;
  /** Written into the file's key-value metadata (`ticketmoa.compacted`). */
  note?: string;
}

export interface DayMergeResult {
  /** Rows of the sources, duplicates included. */
  sourceRows: number;
  /** Rows written: each event once. */
  events: number;
  rowGroups: number;
  bytes: number;
  /** The first and last `timestamp` written (epoch ms), or null for an empty day. */
  minMs: number | null;
  maxMs: number | null;
}

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function rows(connection: DuckDBConnection, sql: string): Promise<Record<string, DuckDBValue>[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjects();
}

/** Column name → DuckDB type, as `DESCRIBE` reports it. */
async function describe(connection: DuckDBConnection, relation: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const row of await rows(connection, `DESCRIBE SELECT * FROM ${relation}`)) out.set(String(row.column_name), String(row.column_type));
  return out;
}

export async function mergeDayFiles(options: DayMergeOptions): Promise<DayMergeResult> {
  const rowGroupSize = options.rowGroupSize ?? 100_000;
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', {
    threads: '1',
    memory_limit: options.memoryLimit ?? '256MB',
    temp_directory: options.tempDirectory,
    preserve_insertion_order: 'false',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  try {
    const source = `read_parquet([${options.inputs.map(literal).join(', ')}], union_by_name = true)`;
    const present = await describe(connection, source);
    const columns = TOPIC_COLUMNS[options.topic];
    const select = columns
      .map(([name, kind]) => {
        if (!present.has(name)) return `NULL AS ${ident(name)}`;
        if (kind === 'timestamp') return `epoch_ms(${ident(name)})::DOUBLE AS ${ident(name)}`;
        return `${ident(name)}::${kind === 'int' ? 'INTEGER' : 'VARCHAR'} AS ${ident(name)}`;
      })
      .join(', ');
    const sourceRows = Number((await rows(connection, `SELECT count(*) AS n FROM ${source}`))[0]!.n);
    const result = await connection.stream(
      `SELECT ${select} FROM ${source}
       QUALIFY event_id IS NULL OR row_number() OVER (PARTITION BY event_id ORDER BY "timestamp") = 1
       ORDER BY "timestamp" NULLS LAST, event_id`,
    );

    const writer = new ParquetWriter({
      writer: fileWriter(options.output),
      schema: topicSchema(options.topic),
      codec: 'SNAPPY',
      statistics: true,
      createdBy: 'ticketmoa compact-lake',
      kvMetadata: options.note === undefined ? undefined : [{ key: 'ticketmoa.compacted', value: options.note }],
    });
    const tsAt = columns.findIndex(([name]) => name === 'timestamp');
    const group: DuckDBValue[][] = columns.map(() => []);
    let events = 0;
    let rowGroups = 0;
    let minMs: number | null = null;
    let maxMs: number | null = null;
    /** Writes the first `n` buffered rows as one row group. */
    const flush = async (n: number) => {
      if (n === 0) return;
      const data = group.map((column) => column.splice(0, n));
      await writer.write({ columnData: columns.map(([name], i) => ({ name, data: data[i] as never })), rowGroupSize: n });
      rowGroups += 1;
    };
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const chunkColumns = chunk.getColumns();
      for (let c = 0; c < columns.length; c++) group[c]!.push(...chunkColumns[c]!);
      for (const ms of chunkColumns[tsAt]!) {
        if (typeof ms !== 'number') continue;
        if (minMs === null || ms < minMs) minMs = ms;
        if (maxMs === null || ms > maxMs) maxMs = ms;
      }
      events += chunk.rowCount;
      while (group[0]!.length >= rowGroupSize) await flush(rowGroupSize);
    }
    await flush(group[0]!.length);
    await writer.finish();

    await verify(connection, source, options.output, events, present);
    return { sourceRows, events, rowGroups, bytes: (await stat(options.output)).size, minMs, maxMs };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Reads the new file back with DuckDB (an engine independent of the writer): every row is one,
 * it holds exactly the sources' `event_id`s, and its columns have the sources' DuckDB types.
 */
async function verify(connection: DuckDBConnection, source: string, output: string, events: number, sourceTypes: Map<string, string>): Promise<void> {
  const merged = `read_parquet(${literal(output)})`;
  const [counts] = await rows(connection, `SELECT count(*) AS n FROM ${merged}`);
  if (Number(counts!.n) !== events) throw new Error(`compacted file holds ${String(counts!.n)} rows, ${events} were written`);
  const [diff] = await rows(
    connection,
    `SELECT (SELECT count(*) FROM (SELECT event_id FROM ${source} EXCEPT SELECT event_id FROM ${merged})) AS missing,
            (SELECT count(*) FROM (SELECT event_id FROM ${merged} EXCEPT SELECT event_id FROM ${source})) AS extra,
            (SELECT count(*) - count(DISTINCT event_id) FROM ${merged} WHERE event_id IS NOT NULL) AS repeated`,
  );
  if (Number(diff!.missing) !== 0 || Number(diff!.extra) !== 0 || Number(diff!.repeated) !== 0) {
    throw new Error(
      `compacted file does not hold the sources' events exactly once (missing ${String(diff!.missing)}, extra ${String(diff!.extra)}, repeated ${String(diff!.repeated)})`,
    );
  }
  const types = await describe(connection, merged);
  for (const [name, type] of sourceTypes) {
    if (types.get(name) !== type) throw new Error(`compacted column ${name} reads as ${types.get(name) ?? 'nothing'}, its sources as ${type}`);
  }
}
