import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLakeMonth } from '../bench/lake-month.js';
import { listEventFiles, parseLakeKey, readTopicEvents, type Lake } from '../pipeline/index.js';
import { createLocalLake } from '../pipeline/lake/local-lake.js';
import { openDuckDb, sqlString, type DuckDb } from '../test-support/duckdb.js';
import { buildDist, REPO_ROOT } from '../test-support/process.js';
import { startTestS3, type TestS3 } from '../test-support/s3.js';

/**
 * `ticketmoa compact-lake` as an operator runs it, killed with SIGKILL right after each step
 * (TICKETMOA_COMPACT_CRASH_AT, the documented crash hook), on a file:// and an s3:// lake.
 */
const NOW = '2026-11-27T12:00:00+09:00';
// the dead run's lease (10 min) has expired by then; the closed days are the same
const LATER = '2026-11-27T12:11:00+09:00';

function compact(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(REPO_ROOT, 'bin/ticketmoa.js'), 'compact-lake', '--grace', '0', ...args],
      { env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env } },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: number; signal?: string }) | null;
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
      },
    );
  });
}

let s3: TestS3;
let duck: DuckDb;
const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'ticketmoa-compact-proc-'));
  dirs.push(d);
  return d;
};
beforeAll(async () => {
  buildDist();
  s3 = await startTestS3();
  duck = await openDuckDb();
});
afterAll(async () => {
  duck?.close();
  await s3?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Kind {
  name: string;
  open(): { lake: Lake; env: Record<string, string> };
}
let prefixes = 0;
const kinds: Kind[] = [
  {
    name: 'file://',
    open: () => {
      const data = temp();
      return { lake: createLocalLake(path.join(data, 'lake')), env: { TICKETMOA_DATA_DIR: data } };
    },
  },
  {
    name: 's3://',
    open: () => {
      const prefix = `proc-${++prefixes}`;
      return { lake: s3.lake(prefix), env: { TICKETMOA_DATA_DIR: temp(), ...s3.env(prefix) } };
    },
  },
];

const eventIds = async (lake: Lake) => [
  ...(await readTopicEvents(lake, 'Search_log')).map((e) => e.event_id),
  ...(await readTopicEvents(lake, 'View_detail_log')).map((e) => e.event_id),
];

/** Every event file of the lake read by DuckDB at once: rows, and distinct event ids. */
async function duckCounts(lake: Lake): Promise<{ rows: number; ids: number }> {
  const dir = temp();
  const files: string[] = [];
  for (const f of await listEventFiles(lake)) {
    const file = path.join(dir, `${files.length}.parquet`);
    writeFileSync(file, (await lake.get(f.key))!);
    files.push(sqlString(file));
  }
  const [row] = await duck.all(
    `SELECT count(*) AS rows, count(DISTINCT event_id) AS ids FROM read_parquet([${files.join(', ')}], union_by_name = true)`,
  );
  return { rows: Number(row!.rows), ids: Number(row!.ids) };
}

describe.each(kinds)('ticketmoa compact-lake on a $name lake, killed with -9', (kind) => {
  for (const step of ['merged', 'stored', 'deleting']) {
    it(`when the process is killed right after "${step}", then readers still see each event once, and the next run finishes and a third changes nothing`, async () => {
      const { lake, env } = kind.open();
      await generateLakeMonth(lake, { lastDay: '2026-11-26', days: 3, eventsPerDay: 600, fileEvents: 100, seed: 3 });
      const before = (await eventIds(lake)).sort();
      expect(before).toHaveLength(3600);
      expect(await listEventFiles(lake)).toHaveLength(36);

      const crashed = await compact({ ...env, TICKETMOA_NOW: NOW, TICKETMOA_COMPACT_CRASH_AT: step });
      expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
      // meanwhile: each reader removes the duplicates by event_id
      expect((await eventIds(lake)).sort()).toEqual(before);
      const meanwhile = await duckCounts(lake);
      expect(meanwhile.ids).toBe(3600);
      if (step !== 'merged') expect(meanwhile.rows).toBeGreaterThan(3600); // a day file beside its sources

      const finished = await compact({ ...env, TICKETMOA_NOW: LATER });
      expect(finished.code, finished.stderr).toBe(0);
      const files = await listEventFiles(lake);
      expect(files.map((f) => parseLakeKey(f.key)?.day)).toEqual([
        '2026-11-24',
        '2026-11-25',
        '2026-11-26',
        '2026-11-24',
        '2026-11-25',
        '2026-11-26',
      ]);
      expect((await eventIds(lake)).sort()).toEqual(before);
      expect(await duckCounts(lake)).toEqual({ rows: 3600, ids: 3600 });

      const again = await compact({ ...env, TICKETMOA_NOW: LATER });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('0 day files written, 0 small files deleted');
      expect(await listEventFiles(lake)).toEqual(files);
    });
  }
});
