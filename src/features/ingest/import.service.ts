import { parsePerformance, type Performance, type PerformanceStore } from '../catalog/index.js';
import type { IdGenerator } from '../../platform/ids.js';
import { parseExtendedJson } from './extended-json.js';
import { planImport, type StoredView } from './import-plan.js';
import { readRecordTexts, type InputChunks, type InputFormat } from './record-reader.js';

export interface ImportCounts {
  /** Records found in the input, good and bad. */
  read: number;
  inserted: number;
  updated: number;
  /** Records folded into another run with the same duplicatekey (or repeating an id). */
  merged: number;
  rejected: number;
}

export interface ImportProblem {
  line: number;
  /** 1-based position of the record in the input; absent for problems between records. */
  record?: number;
  reason: string;
}

export interface ImportOutcome {
  format: InputFormat | undefined;
  /** False when any problem was found: then nothing was written. */
  applied: boolean;
  counts: ImportCounts;
  problems: ImportProblem[];
}

export type ImportProgress = { phase: 'reading'; records: number; consumed: number } | { phase: 'writing'; runs: number };

export interface ImportOptions {
  onProgress?(progress: ImportProgress): void;
  /** Report reading progress every this many records (default 10,000). */
  progressEvery?: number;
}

export type ApplyCounts = Pick<ImportCounts, 'inserted' | 'updated' | 'merged'>;

/**
 * Loads catalogue files: validates every record, then applies the whole file in one store
 * transaction, or nothing at all when any record is bad.
 */
export class ImportService {
  constructor(private readonly deps: { store: PerformanceStore; ids: IdGenerator }) {}

  async importFrom(input: InputChunks, options: ImportOptions = {}): Promise<ImportOutcome> {
    const every = options.progressEvery ?? 10_000;
    const problems: ImportProblem[] = [];
    const runs: Performance[] = [];
    let format: InputFormat | undefined;
    let consumed = 0;
    let read = 0;
    let rejected = 0;
    const items = readRecordTexts(input, {
      format: (f) => (format = f),
      consumed: (n) => (consumed = n),
    });
    for await (const item of items) {
      if (item.kind === 'problem') {
        problems.push({ line: item.line, reason: item.reason });
        continue;
      }
      read += 1;
      const reason = this.parseInto(item.text, runs);
      if (reason !== undefined) {
        rejected += 1;
        problems.push({ line: item.line, record: read, reason });
      }
      if (read % every === 0) options.onProgress?.({ phase: 'reading', records: read, consumed });
    }
    const counts: ImportCounts = { read, inserted: 0, updated: 0, merged: 0, rejected };
    if (problems.length > 0) return { format, applied: false, counts, problems };
    options.onProgress?.({ phase: 'writing', runs: runs.length });
    const applied = await this.apply(runs);
    return { format, applied: true, counts: { ...counts, ...applied }, problems };
  }

  /**
   * Writes valid runs (`_id` '' = assign one) in one transaction, resolving ids and
   * duplicatekeys against the store (see `planImport`). The plan is made inside the write
   * transaction, from what the store holds then: an import running at the same time either
   * committed before (and is merged with) or waits, so neither drops the other's vendors.
   */
  async apply(runs: readonly Performance[]): Promise<ApplyCounts> {
    const lookup = { ids: runs.map((r) => r._id).filter((id) => id !== ''), keys: runs.map((r) => r.duplicatekey) };
    return this.deps.store.upsertResolved(lookup, (stored) => {
      const plan = planImport(runs, storedView(stored), () => this.deps.ids.objectId());
      return { writes: plan.writes, result: { inserted: plan.inserted, updated: plan.updated, merged: plan.merged } };
    });
  }

  private parseInto(text: string, runs: Performance[]): string | undefined {
    let value: unknown;
    try {
      value = parseExtendedJson(text);
    } catch (err) {
      return `not valid JSON: ${err instanceof Error ? err.message : String(err)}`;
    }
    const parsed = parsePerformance(value);
    if (!parsed.ok) return parsed.reason;
    runs.push(parsed.value);
    return undefined;
  }
}

function storedView(found: readonly Performance[]): StoredView {
  const byId = new Map<string, Performance>();
  const idByKey = new Map<string, string>();
  for (const p of found) {
    byId.set(p._id, p);
    idByKey.set(p.duplicatekey, p._id);
  }
  return { byId, idByKey };
}
