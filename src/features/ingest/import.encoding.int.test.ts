import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../db/sqlite/connection.js';
import { fixedClock } from '../../platform/clock.js';
import { createIdGenerator } from '../../platform/ids.js';
import { encodeCp949 } from '../../test-support/cp949.js';
import { makeRun } from '../../test-support/runs.js';
import { createSqlitePerformanceStore, type PerformanceStore } from '../catalog/index.js';
import { ImportService } from './import.service.js';

const clock = fixedClock('2026-11-27T12:00:00+09:00');
const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-encoding-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ID_A = '5f1e3c2b9a8d7e6f5a4b3c2d';
const records = [
  { _id: ID_A, title: '뮤지컬 〈레미제라블〉', start_date: '2026.12.05', end_date: '2027.03.01', hosts: [{ site_id: 1, ticket_url: null }] },
  { title: '뮤지컬 〈레베카〉', start_date: '2026.12.05', end_date: '2027.03.01', hosts: [{ site_id: 2, ticket_url: null }] },
];
const ndjson = records.map((r) => JSON.stringify(r)).join('\n') + '\n';

function file(name: string, bytes: Uint8Array): string {
  const f = path.join(dir, name);
  writeFileSync(f, bytes);
  return f;
}

describe('the encoding of imported files', () => {
  let store: PerformanceStore;
  let service: ImportService;
  beforeEach(async () => {
    store = createSqlitePerformanceStore(openSqlite(':memory:'), { clock });
    service = new ImportService({ store, ids: createIdGenerator(clock) });
    await store.upsertMany([makeRun({ title: '이미 있는 공연' })]);
  });

  it('when a file is CP949 (EUC-KR), then it is refused whole with a message naming CP949 and the byte offset, and nothing is written', async () => {
    // every title would read as U+FFFD and both runs would share one duplicatekey
    const before = await store.version();
    const outcome = await service.importFrom(createReadStream(file('cp949.ndjson', encodeCp949(ndjson))));
    expect(outcome.applied).toBe(false);
    expect(outcome.problems).toEqual([
      {
        line: 1,
        reason: expect.stringMatching(
          /^the file is not valid UTF-8: .* at byte offset 43; it looks like the legacy Korean encoding CP949\/EUC-KR/,
        ) as string,
      },
    ]);
    expect(outcome.problems[0]!.reason).toContain('iconv -f CP949 -t UTF-8');
    expect(await store.version()).toBe(before);
    expect(await store.count()).toBe(1);
  });

  it('when a UTF-8 file holds one invalid byte on a later line, then it is refused whole with that line and offset', async () => {
    const good = new TextEncoder().encode(ndjson);
    const bytes = new Uint8Array([...good, ...new TextEncoder().encode('{"title":"깨진 '), 0xed, 0xa0, 0x80, ...new TextEncoder().encode('"}\n')]);
    const outcome = await service.importFrom(createReadStream(file('broken.ndjson', bytes)));
    expect(outcome.applied).toBe(false);
    expect(outcome.problems).toEqual([{ line: 3, reason: expect.stringContaining(`at byte offset ${good.length + 17}`) as string }]);
    expect(outcome.problems[0]!.reason).not.toContain('CP949/EUC-KR');
    expect(await store.count()).toBe(1);
  });

  it('when a UTF-8 file is read in chunks that split its characters, and starts with a BOM, then it is imported', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(ndjson)]);
    const outcome = await service.importFrom(createReadStream(file('bom.ndjson', bytes), { highWaterMark: 5 }));
    expect(outcome).toMatchObject({ applied: true, problems: [] });
    expect(outcome.counts).toMatchObject({ read: 2, inserted: 2 });
    expect((await store.findByIds([ID_A]))[0]?.title).toBe('뮤지컬 〈레미제라블〉');
    expect(await store.count()).toBe(3);
  });
});
