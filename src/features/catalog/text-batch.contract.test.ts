import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDb } from '../../db/sqlite/connection.js';
import { fixedClock } from '../../platform/clock.js';
import { makeRun } from '../../test-support/runs.js';
import type { PerformanceStore } from './catalog.store.js';
import { createMemoryPerformanceStore } from './memory-performance-store.js';
import { createSqlitePerformanceStore } from './sqlite-performance-store.js';

const dbs: SqliteDb[] = [];
const adapters: [string, () => PerformanceStore][] = [
  ['memory', () => createMemoryPerformanceStore()],
  [
    'sqlite',
    () => {
      const db = openSqlite(':memory:');
      dbs.push(db);
      return createSqlitePerformanceStore(db, { clock: fixedClock('2026-11-27T03:00:00Z') });
    },
  ],
];

describe.each(adapters)('PerformanceStore.textBatch (%s)', (_name, create) => {
  afterEach(() => dbs.splice(0).forEach((db) => db.close()));

  it('when the catalogue is read in batches, then every run comes once, by id, with its text fields', async () => {
    const store = create();
    const runs = ['c', 'a', 'b', 'e', 'd'].map((last) =>
      makeRun({
        _id: `b0000000000000000000000${last}`,
        description: `설명 ${last}`,
        artist: [{ artist_name: `가수 ${last}`, artist_url: null }, { artist_name: null, artist_url: null }],
      }),
    );
    runs.push(makeRun({ _id: 'b0000000000000000000000f', description: null, artist: null, region: null }));
    await store.upsertMany(runs);
    const first = await store.textBatch(undefined, 4);
    const rest = await store.textBatch(first[first.length - 1]!.id, 4);
    expect([...first, ...rest].map((r) => r.id.slice(-1))).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(first[0]).toEqual({
      id: 'b0000000000000000000000a',
      region: '서울',
      start_date: '2026.12.01',
      title: runs[1]!.title,
      category: '콘서트',
      description: '설명 a',
      artistNames: ['가수 a'],
    });
    expect(rest[rest.length - 1]).toMatchObject({ description: null, artistNames: [], region: null });
  });
});
