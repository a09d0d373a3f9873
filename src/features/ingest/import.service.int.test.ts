import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../db/sqlite/connection.js';
import { fixedClock } from '../../platform/clock.js';
import { createIdGenerator, OBJECT_ID } from '../../platform/ids.js';
import { makeRun } from '../../test-support/runs.js';
import { createMemoryPerformanceStore, createSqlitePerformanceStore, type Performance, type PerformanceStore } from '../catalog/index.js';
import { ImportService } from './import.service.js';

const clock = fixedClock('2026-11-27T12:00:00+09:00');
const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const adapters: [string, () => PerformanceStore][] = [
  ['memory', () => createMemoryPerformanceStore()],
  ['sqlite', () => createSqlitePerformanceStore(openSqlite(':memory:'), { clock })],
];

const text = (s: string) => Readable.from([Buffer.from(s)]);
const ndjson = (...records: object[]) => text(records.map((r) => JSON.stringify(r)).join('\n') + '\n');
const ID_A = '5f1e3c2b9a8d7e6f5a4b3c2d';
const ID_B = '5f1e3c2b9a8d7e6f5a4b3c2e';

/** A mongoexport (canonical Extended JSON, one document per line) of the legacy collection. */
const MONGOEXPORT = [
  {
    _id: { $oid: ID_A },
    title: '뮤지컬 〈레베카〉',
    duplicatekey: '뮤지컬레베카2026.11.20',
    category: '뮤지컬',
    location: '블루스퀘어 신한카드홀',
    region: '서울',
    price: [{ seat: 'VIP석', price: '170,000원' }],
    start_date: '2026.11.20',
    end_date: { $date: { $numberLong: String(Date.parse('2027-02-28T00:00:00+09:00')) } },
    running_time: '170분',
    rating: '8세 이상 관람가',
    casting: [{ actor: '옥주현', role: '댄버스 부인' }],
    artist: null,
    description: '맨덜리 저택의 비밀.',
    poster_url: 'https://img.example.com/rebecca.jpg',
    open_date: '2026.10.01 14:00',
    pre_open_date: null,
    hosts: [{ site_id: { $numberInt: '1' }, ticket_url: 'https://tickets.interpark.com/goods/1' }],
  },
  {
    _id: { $oid: ID_B },
    title: '2026 성시경 콘서트',
    category: '콘서트',
    start_date: '2026.12.24',
    end_date: '2026.12.25',
    hosts: [
      { site_id: { $numberLong: '2' }, ticket_url: 'http://ticket.yes24.com/Perf/1' },
      { site_id: { $numberInt: '3' }, ticket_url: null },
    ],
    rank: { $numberDouble: '1.5' },
  },
]
  .map((r) => JSON.stringify(r))
  .join('\n');

describe.each(adapters)('importing into the %s store', (_name, createStore) => {
  let store: PerformanceStore;
  let service: ImportService;
  beforeEach(() => {
    store = createStore();
    service = new ImportService({ store, ids: createIdGenerator(clock) });
  });
  const stored = async (id: string) => (await store.findByIds([id]))[0];

  it('when a real mongoexport dump is imported from a file, then every run is stored with plain values', async () => {
    const file = path.join(dir, 'data.json');
    writeFileSync(file, MONGOEXPORT);
    const outcome = await service.importFrom(createReadStream(file));
    expect(outcome).toMatchObject({ format: 'ndjson', applied: true, problems: [] });
    expect(outcome.counts).toEqual({ read: 2, inserted: 2, updated: 0, merged: 0, rejected: 0 });
    expect(await stored(ID_A)).toMatchObject({ end_date: '2027.02.28', hosts: [{ site_id: 1 }] });
    expect(await stored(ID_B)).toMatchObject({
      duplicatekey: '2026성시경콘서트2026.12.24',
      hosts: [
        { site_id: 2, ticket_url: 'http://ticket.yes24.com/Perf/1' },
        { site_id: 3, ticket_url: null },
      ],
    });
  });

  it('when a record is bad, then all problems are listed with their lines and nothing is written', async () => {
    await store.upsertMany([makeRun({ _id: ID_A, title: '원래 제목' })]);
    const before = { version: await store.version(), doc: await store.documentJson(ID_A) };
    const file =
      '[\n' +
      [
        JSON.stringify({ _id: ID_A, title: '바뀐 제목', start_date: '2026.12.01', end_date: '2026.12.31' }),
        '{\n  "title": "",\n  "start_date": "2026.12.01", "end_date": "2026.12.02"\n}',
        JSON.stringify({ title: '날짜 오류', start_date: '2026-12-01', end_date: '2026.12.02' }),
        '{"title": "문법 오류", }',
        JSON.stringify({ title: '정상', start_date: '2026.12.01', end_date: '2026.12.02' }),
      ].join(',\n') +
      '\n]';
    const outcome = await service.importFrom(text(file));
    expect(outcome.applied).toBe(false);
    expect(outcome.counts).toEqual({ read: 5, inserted: 0, updated: 0, merged: 0, rejected: 3 });
    expect(outcome.problems).toEqual([
      { line: 3, record: 2, reason: 'title is required' },
      { line: 7, record: 3, reason: 'start_date must be a real date written YYYY.MM.DD' },
      { line: 8, record: 4, reason: expect.stringMatching(/^not valid JSON/) as string },
    ]);
    expect(await store.version()).toBe(before.version);
    expect(await store.documentJson(ID_A)).toBe(before.doc);
    expect(await store.count()).toBe(1);
  });

  it('when a record carries a javascript: or data: link, then it is a bad record with its line and field, and nothing is written', async () => {
    await store.upsertMany([makeRun({ _id: ID_A, title: '원래 제목' })]);
    const before = { version: await store.version(), doc: await store.documentJson(ID_A) };
    const run = { start_date: '2026.12.01', end_date: '2026.12.02' };
    const outcome = await service.importFrom(
      ndjson(
        { _id: ID_A, title: '바뀐 제목', ...run, poster_url: 'https://img.example.com/ok.jpg' },
        { title: '포스터', ...run, poster_url: 'javascript:alert(document.cookie)' },
        { title: '아티스트', ...run, artist: [{ artist_name: '아이유', artist_url: 'data:text/html,<script>alert(1)</script>' }] },
        {
          title: '예매처',
          ...run,
          hosts: [
            { site_id: 1, ticket_url: 'https://t.example.com/1' },
            { site_id: 2, ticket_url: ' JavaScript:alert(2)' },
          ],
        },
        { title: '자체 포스터', ...run, poster_url: '/posters/65f1a2b3c4d5e6f708192a3b' },
      ),
    );
    expect(outcome.applied).toBe(false);
    expect(outcome.counts).toMatchObject({ read: 5, rejected: 3 });
    expect(outcome.problems).toEqual([
      { line: 2, record: 2, reason: 'poster_url must be an absolute http(s) URL or a /posters/ path' },
      { line: 3, record: 3, reason: 'artist[0].artist_url must be an absolute http(s) URL' },
      { line: 4, record: 4, reason: 'hosts[1].ticket_url must be an absolute http(s) URL' },
    ]);
    expect(await store.version()).toBe(before.version);
    expect(await store.documentJson(ID_A)).toBe(before.doc);
    expect(await store.count()).toBe(1);
  });

  it('when the same id is imported again, then the run is updated in place and vendors accumulate', async () => {
    await service.importFrom(
      ndjson({
        _id: ID_A,
        title: '연극 〈옥탑방 고양이〉',
        start_date: '2026.12.01',
        end_date: '상시공연',
        hosts: [{ site_id: 1, ticket_url: 'https://a/1' }],
      }),
    );
    const outcome = await service.importFrom(
      ndjson({
        _id: ID_A,
        title: '연극 〈옥탑방 고양이〉',
        start_date: '2026.12.01',
        end_date: '상시공연',
        location: '대학로 틴틴홀',
        hosts: [{ site_id: 3, ticket_url: 'https://c/1' }],
      }),
    );
    expect(outcome.counts).toMatchObject({ read: 1, inserted: 0, updated: 1, merged: 0 });
    expect(await store.count()).toBe(1);
    expect(await stored(ID_A)).toMatchObject({ location: '대학로 틴틴홀', hosts: [{ site_id: 1 }, { site_id: 3 }] });
  });

  it('when records have no _id, then they get new ObjectId-shaped ids', async () => {
    const outcome = await service.importFrom(
      ndjson({ title: '가', start_date: '2026.12.01', end_date: '2026.12.01' }, { title: '나', start_date: '2026.12.01', end_date: '2026.12.01' }),
    );
    expect(outcome.counts.inserted).toBe(2);
    const ids = (await store.summaries()).map((s) => s.id);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(OBJECT_ID);
  });

  it('when two records of a file share a duplicatekey, then they become one run with both vendors', async () => {
    const outcome = await service.importFrom(
      ndjson(
        {
          _id: ID_A,
          title: '뮤지컬 〈하데스타운〉',
          start_date: '2026.12.01',
          end_date: '2027.02.01',
          location: null,
          hosts: [{ site_id: 1, ticket_url: 'https://a/1' }],
        },
        {
          title: '뮤지컬 하데스타운!',
          start_date: '2026.12.01',
          end_date: '2027.03.01',
          location: '샤롯데씨어터',
          hosts: [{ site_id: 2, ticket_url: 'https://b/1' }],
        },
      ),
    );
    expect(outcome.counts).toEqual({ read: 2, inserted: 1, updated: 0, merged: 1, rejected: 0 });
    expect(await store.count()).toBe(1);
    // The first record keeps its fields; the duplicate only fills the gap and adds its vendor.
    expect(await stored(ID_A)).toMatchObject({
      title: '뮤지컬 〈하데스타운〉',
      end_date: '2027.02.01',
      location: '샤롯데씨어터',
      hosts: [
        { site_id: 1, ticket_url: 'https://a/1' },
        { site_id: 2, ticket_url: 'https://b/1' },
      ],
    });
  });

  it('when a record repeats the duplicatekey of a stored run under another id, then it merges into the stored run', async () => {
    await store.upsertMany([makeRun({ _id: ID_A, title: '레미제라블', start_date: '2026.12.05', hosts: [{ site_id: 1, ticket_url: null }] })]);
    const outcome = await service.importFrom(
      ndjson({
        _id: ID_B,
        title: '레 미제라블',
        start_date: '2026.12.05',
        end_date: '2026.12.30',
        hosts: [
          { site_id: 1, ticket_url: 'https://a/9' },
          { site_id: 3, ticket_url: 'https://c/9' },
        ],
      }),
    );
    expect(outcome.counts).toMatchObject({ inserted: 0, updated: 0, merged: 1 });
    expect(await store.findByIds([ID_B])).toEqual([]);
    expect((await stored(ID_A))?.hosts).toEqual([
      { site_id: 1, ticket_url: 'https://a/9' },
      { site_id: 3, ticket_url: 'https://c/9' },
    ]);
  });

  it('when a run moves to a new title and another run of the file takes its old one, then both are written', async () => {
    await store.upsertMany([makeRun({ _id: ID_A, title: '옛 제목', start_date: '2026.12.01' })]);
    const run = (id: string, title: string) => ({ _id: id, title, start_date: '2026.12.01', end_date: '2026.12.02' });
    const outcome = await service.importFrom(ndjson(run(ID_B, '임시 제목'), run(ID_A, '새 제목'), run(ID_B, '옛 제목')));
    expect(outcome.applied).toBe(true);
    expect((await stored(ID_A))?.title).toBe('새 제목');
    expect((await stored(ID_B))?.title).toBe('옛 제목');
    expect(await store.count()).toBe(2);
  });

  it('when the same file is imported twice, then the second import only updates', async () => {
    const records = (): Readable => text(MONGOEXPORT);
    await service.importFrom(records());
    const before = (await store.summaries()).length;
    const outcome = await service.importFrom(records());
    expect(outcome.counts).toMatchObject({ inserted: 0, updated: 2 });
    expect((await store.summaries()).length).toBe(before);
  });

  it('when a file is big, then reading progress is reported along the way', async () => {
    const runs: Performance[] = Array.from({ length: 25 }, (_, i) => makeRun({ title: `공연 ${i}` }));
    const seen: string[] = [];
    await service.importFrom(ndjson(...runs), {
      progressEvery: 10,
      onProgress: (p) => seen.push(p.phase === 'reading' ? `read ${p.records}` : `write ${p.runs}`),
    });
    expect(seen).toEqual(['read 10', 'read 20', 'write 25']);
    expect(await store.count()).toBe(25);
  });
});
