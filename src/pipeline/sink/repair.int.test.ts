import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SchemaElement } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDb, sqlString } from '../../test-support/duckdb.js';
import { viewLogKey } from '../../test-support/view-log-files.js';
import type { LoggedEvent } from '../events.js';
import { createMemoryLake } from '../lake/memory-lake.js';
import { TOPIC_COLUMNS, writeEventsParquet } from './parquet.js';
import { hasRejectedFooter, repairLake } from './repair.js';

const view = (n: number): LoggedEvent => ({
  event_id: `v${n}`,
  timestamp: `2026-11-27T21:15:3${n}.000+09:00`,
  topic: 'View_detail_log',
  action: 'view_detail',
  user_id: n % 2 ? 'anonymous' : 'moa2026',
  device: 'ua',
  ...(n % 2 ? {} : { gender: 'M', birth_year: 1990 + n }),
  ticket_id: `t${n}`,
  title: '레미제라블',
  category: '뮤지컬',
});

/** A file as the first sink wrote it: INT32 columns with the INTEGER logical type. */
function legacyFile(events: LoggedEvent[]): Uint8Array {
  const columns = TOPIC_COLUMNS.View_detail_log;
  const schema: SchemaElement[] = [
    { name: 'root', num_children: columns.length },
    ...columns.map(([name, kind]): SchemaElement => {
      const base = { name, repetition_type: 'OPTIONAL' as const };
      if (kind === 'int')
        return { ...base, type: 'INT32', converted_type: 'INT_32', logical_type: { type: 'INTEGER', bitWidth: 32, isSigned: true } };
      if (kind === 'timestamp')
        return {
          ...base,
          type: 'INT64',
          converted_type: 'TIMESTAMP_MILLIS',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
        };
      return { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    }),
  ];
  const columnData = columns.map(([name, kind]) => ({
    name,
    data: events.map((e) => (kind === 'timestamp' ? Date.parse(e.timestamp) : (e[name] ?? null))),
  }));
  return new Uint8Array(parquetWriteBuffer({ columnData, schema, codec: 'SNAPPY' }));
}

const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-repair-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('repairing lake files that other engines reject', () => {
  it('when a lake holds files of the first sink, then they are rewritten in place and DuckDB reads every row', async () => {
    const lake = createMemoryLake();
    const broken = legacyFile([view(1), view(2), view(3)]);
    const good = writeEventsParquet('View_detail_log', [view(4)]);
    await lake.put(viewLogKey('a'), broken);
    await lake.put(viewLogKey('b'), good);
    expect(hasRejectedFooter(broken)).toBe(true);

    const duck = await openDuckDb();
    try {
      writeFileSync(path.join(dir, 'before.parquet'), broken);
      await expect(duck.all(`SELECT * FROM read_parquet(${sqlString(path.join(dir, 'before.parquet'))})`)).rejects.toThrow(/Invalid data/);

      expect(await repairLake(lake, { dryRun: true })).toEqual({ checked: 2, broken: 1, rewritten: 0, failed: [] });
      expect(await lake.get(viewLogKey('a'))).toEqual(broken);

      expect(await repairLake(lake)).toEqual({ checked: 2, broken: 1, rewritten: 1, failed: [] });
      expect(await lake.get(viewLogKey('b'))).toEqual(good);
      writeFileSync(path.join(dir, 'after.parquet'), (await lake.get(viewLogKey('a')))!);
      const rows = await duck.all(
        `SELECT event_id, strftime("timestamp", '%Y-%m-%dT%H:%M:%S') AS t, user_id, birth_year, ticket_id, title FROM read_parquet(${sqlString(path.join(dir, 'after.parquet'))}) ORDER BY event_id`,
      );
      expect(rows).toEqual([
        { event_id: 'v1', t: '2026-11-27T12:15:31', user_id: 'anonymous', birth_year: null, ticket_id: 't1', title: '레미제라블' },
        { event_id: 'v2', t: '2026-11-27T12:15:32', user_id: 'moa2026', birth_year: 1992, ticket_id: 't2', title: '레미제라블' },
        { event_id: 'v3', t: '2026-11-27T12:15:33', user_id: 'anonymous', birth_year: null, ticket_id: 't3', title: '레미제라블' },
      ]);
      expect(await repairLake(lake)).toEqual({ checked: 2, broken: 0, rewritten: 0, failed: [] });
    } finally {
      duck.close();
    }
  });
});
