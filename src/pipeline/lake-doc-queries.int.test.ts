import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, type DuckDb } from '../test-support/duckdb.js';
import type { LoggedEvent } from './events.js';
import { writeEventsParquet } from './sink/parquet.js';

/** The statements of docs/lake.md's DuckDB block, comments dropped, each with the comment line above it. */
function documentedQueries(): { title: string; sql: string }[] {
  const doc = readFileSync(path.resolve('docs/lake.md'), 'utf8');
  const block = /## Queries to paste[\s\S]*?```sql\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/lake.md has no DuckDB block under "Queries to paste"');
  return block
    .split(/;[ \t]*(?:--[^\n]*)?\n/)
    .map((statement) => {
      const lines = statement.trim().split('\n');
      const title = lines.filter((l) => l.startsWith('--')).join(' ');
      return { title, sql: lines.filter((l) => !l.startsWith('--')).join('\n') };
    })
    .filter((q) => q.sql.trim() !== '');
}

const A = { ticket_id: 'dddddddddddddddddddd000a', title: '레미제라블', category: '뮤지컬' };
const B = { ticket_id: 'dddddddddddddddddddd000b', title: '아이유 콘서트', category: '콘서트' };
const C = { ticket_id: 'dddddddddddddddddddd000c', title: '햄릿', category: '연극' };

let n = 0;
const like = (at: string, action: 'like' | 'unlike', run: typeof A, status: 'changed' | 'unchanged', user_id = 'moa2026'): LoggedEvent => ({
  event_id: `like-${++n}`,
  timestamp: at,
  topic: 'Like_log',
  action,
  user_id,
  device: 'Mozilla/5.0',
  ...run,
  status,
});

describe("docs/lake.md's Like_log queries, pasted into DuckDB as written", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-doc-queries-'));
  let duck: DuckDb;
  const run = async (sql: string) => duck.all(sql.replaceAll("'data/lake/", `'${dir}/`));
  const queries = documentedQueries().filter((q) => q.sql.includes('Like_log'));

  beforeAll(async () => {
    const day1 = '2026-11-26T20:00:00.000+09:00';
    const day2 = '2026-11-27T00:30:00.000+09:00'; // 26th 15:30 UTC: the 27th in KST
    const folder = path.join(dir, 'logs', 'Like_log');
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, '20261126T200000.000-e3f9c1a2b4d5-p0-o000000000001.parquet');
    writeFileSync(
      file,
      writeEventsParquet('Like_log', [
        like(day1, 'like', A, 'changed'),
        like(day1, 'like', A, 'unchanged'),
        like(day1, 'like', C, 'changed'),
        like(day1, 'unlike', C, 'changed'),
        like(day1, 'unlike', B, 'unchanged'),
        like(day2, 'like', A, 'changed', 'kakao:1'),
        like(day2, 'like', B, 'changed', 'kakao:1'),
        like(day2, 'like', B, 'changed'),
        like(day2, 'unlike', A, 'changed'),
      ]),
    );
    // the same batch delivered twice by Kafka: the queries count each event once
    copyFileSync(file, path.join(folder, '20261126T200000.000-kafka-p0-o000000000000.parquet'));
    duck = await openDuckDb();
    await duck.all("SET TimeZone = 'Asia/Seoul'");
  });
  afterAll(() => {
    duck?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when the block is read, then it has the likes-per-day and most-liked-runs queries', () => {
    expect(queries.map((q) => q.title)).toEqual([expect.stringContaining('per KST day'), expect.stringContaining('Most liked runs')]);
  });

  it('when likes per day is run, then changed likes and unlikes come per KST day, each event once', async () => {
    const rows = await run(queries[0]!.sql);
    expect(rows.map((r) => ({ day: r.day, likes: Number(r.likes), unlikes: Number(r.unlikes) }))).toEqual([
      { day: '2026-11-26', likes: 2, unlikes: 1 },
      { day: '2026-11-27', likes: 3, unlikes: 1 },
    ]);
  });

  it('when most liked runs is run, then runs come by net likes with their titles, and a run liked and unliked is left out', async () => {
    const rows = await run(queries[1]!.sql);
    expect(rows.map((r) => ({ ticket_id: r.ticket_id, title: r.title, net_likes: Number(r.net_likes) }))).toEqual([
      { ticket_id: B.ticket_id, title: B.title, net_likes: 2 },
      { ticket_id: A.ticket_id, title: A.title, net_likes: 1 },
    ]);
  });

  it('when the whole block is run on a lake with every topic, then each statement runs', async () => {
    // the other topics' queries need files: one event each is enough
    for (const topic of ['Search_log', 'View_detail_log'] as const) {
      mkdirSync(path.join(dir, 'logs', topic), { recursive: true });
      const event: LoggedEvent = {
        event_id: `${topic}-1`,
        timestamp: '2026-11-27T09:00:00.000+09:00',
        topic,
        action: 'x',
        user_id: 'anonymous',
        device: 'curl',
      };
      writeFileSync(path.join(dir, 'logs', topic, 'one.parquet'), writeEventsParquet(topic, [event]));
    }
    for (const q of documentedQueries()) await expect(run(q.sql), q.title).resolves.toBeDefined();
  });
});
