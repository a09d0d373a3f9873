import { parquetMetadata } from 'hyparquet';
import { TOPICS } from '../events.js';
import type { Lake } from '../lake/lake.js';
import { decodeEventFile, listEventFiles } from '../lake/lake-reader.js';
import { writeEventsParquet } from './parquet.js';

export interface LakeRepairSummary {
  /** Parquet files looked at. */
  checked: number;
  /** Files whose footer other engines reject (rewritten unless a dry run). */
  broken: number;
  rewritten: number;
  failed: { key: string; error: string }[];
}

const toArrayBuffer = (bytes: Uint8Array) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

/**
 * Early sink versions annotated INT32 columns with an INTEGER logical type whose bit width the
 * writer encoded as a Thrift i32 instead of an i8: DuckDB and Arrow reject such a footer whole.
 */
export function hasRejectedFooter(bytes: Uint8Array): boolean {
  const { schema } = parquetMetadata(toArrayBuffer(bytes));
  return schema.some((element) => element.logical_type?.type === 'INTEGER');
}

/**
 * Rewrites, under the same key, every event file whose footer other engines reject, with the
 * current writer: same rows, same values. A rewrite is checked by reading it back before the
 * put, and the put is atomic, so an interrupted repair leaves each file old or new, never half.
 */
export async function repairLake(
  lake: Lake,
  options: { dryRun?: boolean; onFile?: (key: string, outcome: 'ok' | 'rewritten' | 'broken' | 'failed') => void } = {},
): Promise<LakeRepairSummary> {
  const summary: LakeRepairSummary = { checked: 0, broken: 0, rewritten: 0, failed: [] };
  for (const topic of TOPICS) {
    for (const { key } of await listEventFiles(lake, topic)) {
      summary.checked++;
      try {
        const bytes = await lake.get(key);
        if (!bytes || !hasRejectedFooter(bytes)) {
          options.onFile?.(key, 'ok');
          continue;
        }
        summary.broken++;
        if (options.dryRun) {
          options.onFile?.(key, 'broken');
          continue;
        }
        const events = await decodeEventFile(bytes);
        const fixed = writeEventsParquet(topic, events);
        const back = await decodeEventFile(fixed);
        if (back.length !== events.length || hasRejectedFooter(fixed)) throw new Error('the rewritten file does not read back whole');
        await lake.put(key, fixed);
        summary.rewritten++;
        options.onFile?.(key, 'rewritten');
      } catch (err) {
        summary.failed.push({ key, error: err instanceof Error ? err.message : String(err) });
        options.onFile?.(key, 'failed');
      }
    }
  }
  return summary;
}
