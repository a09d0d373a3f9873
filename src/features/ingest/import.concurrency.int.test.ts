import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../db/postgres/connection.js';
import { openSqlite } from '../../db/sqlite/connection.js';
import { fixedClock } from '../../platform/clock.js';
import { createIdGenerator } from '../../platform/ids.js';
import { postgresTestDatabase } from '../../test-support/postgres.js';
import { makeRun } from '../../test-support/runs.js';
import {
  createMemoryPerformanceStore,
  createPostgresPerformanceStore,
  createSqlitePerformanceStore,
  type Performance,
  type PerformanceStore,
} from '../catalog/index.js';
import { ImportService } from './import.service.js';

const clock = fixedClock('2026-11-27T12:00:00+09:00');
const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-concurrent-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two handles on one catalogue (two connections or pools, as two `ticketmoa import` processes would have). */
interface Pair {
  stores: [PerformanceStore, PerformanceStore];
  close(): Promise<void>;
}

/** Resolves once `parties` callers have arrived. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return () => {
    arrived += 1;
    if (arrived >= parties) release();
    return all;
  };
}

/**
 * The store as one importer sees it: its first call waits until the other importer has made its
 * first call too. So both importers reach the store before either goes on: an importer that read
 * the stored runs outside its write transaction would plan from a state the other is changing.
 */
function meetingFirst(store: PerformanceStore, meet: () => Promise<void>): PerformanceStore {
  let met: Promise<void> | undefined;
  const first = () => (met ??= meet());
  return {
    ...store,
    findByIds: async (ids) => (await first(), store.findByIds(ids)),
    findByDuplicateKeys: async (keys) => (await first(), store.findByDuplicateKeys(keys)),
    upsertMany: async (runs) => (await first(), store.upsertMany(runs)),
    upsertResolved: async (lookup, decide) => (await first(), store.upsertResolved(lookup, decide)),
  };
}

const ndjson = (records: object[]) => Readable.from([Buffer.from(records.map((r) => JSON.stringify(r)).join('\n') + '\n')]);
const vendor = (site: number) => ({ site_id: site, ticket_url: `https://tickets.example.com/${site}` });
const sites = (run: Performance | undefined) => run?.hosts.map((h) => h.site_id).sort((a, b) => a - b);

/** Two imports at once, each from its own handle, both reaching the store before either goes on. */
async function importTogether(pair: Pair, files: [object[], object[]]) {
  const meet = barrier(2);
  return Promise.all(
    files.map((records, i) =>
      new ImportService({ store: meetingFirst(pair.stores[i]!, meet), ids: createIdGenerator(clock) }).importFrom(ndjson(records)),
    ),
  );
}

function describeConcurrentImports(name: string, open: () => Promise<Pair>): void {
  describe(`concurrent imports on ${name}`, () => {
    it('when two vendors bring a stored run at the same moment, then the run ends with both vendors', async () => {
      const pair = await open();
      try {
        const held = makeRun({ title: '뮤지컬 〈레미제라블〉', start_date: '2026.12.05', hosts: [vendor(1)] });
        await pair.stores[0].upsertMany([held]);
        const same = { title: '뮤지컬 레미제라블', start_date: '2026.12.05', end_date: '2027.03.01' };
        const outcomes = await importTogether(pair, [[{ ...same, hosts: [vendor(2)] }], [{ ...same, hosts: [vendor(3)] }]]);
        expect(outcomes.map((o) => [o.applied, o.counts.merged])).toEqual([
          [true, 1],
          [true, 1],
        ]);
        const [run] = await pair.stores[1].findByIds([held._id]);
        expect(sites(run)).toEqual([1, 2, 3]);
        expect(await pair.stores[1].count()).toBe(1);
      } finally {
        await pair.close();
      }
    });

    it('when two vendors bring the same new runs at the same moment, then each run is written once with both vendors', async () => {
      const pair = await open();
      try {
        const titles = ['연극 〈라면〉', '콘서트 〈첫눈〉', '뮤지컬 〈영웅〉', '오페라 〈토스카〉', '발레 〈지젤〉'];
        const file = (site: number) => titles.map((title) => ({ title, start_date: '2026.12.10', end_date: '2026.12.20', hosts: [vendor(site)] }));
        const outcomes = await importTogether(pair, [file(1), file(2)]);
        expect(outcomes.every((o) => o.applied)).toBe(true);
        expect(outcomes.map((o) => o.counts.inserted + o.counts.merged)).toEqual([5, 5]);
        const runs = await pair.stores[0].summaries();
        expect(runs).toHaveLength(5);
        for (const run of await pair.stores[0].findByIds(runs.map((r) => r.id))) expect(sites(run)).toEqual([1, 2]);
      } finally {
        await pair.close();
      }
    });
  });
}

describeConcurrentImports('memory', async () => {
  const store = createMemoryPerformanceStore();
  return { stores: [store, store], close: async () => {} };
});

let databases = 0;
describeConcurrentImports('SQLite (two connections to one file)', async () => {
  databases += 1;
  const file = path.join(dir, `catalogue-${databases}.db`);
  const a = openSqlite(file);
  const b = openSqlite(file);
  return {
    stores: [createSqlitePerformanceStore(a, { clock }), createSqlitePerformanceStore(b, { clock })],
    close: async () => {
      a.close();
      b.close();
    },
  };
});

const postgres = await postgresTestDatabase();
describe.skipIf(!postgres)('on PostgreSQL', () => {
  describeConcurrentImports('PostgreSQL (two pools)', async () => {
    const url = await postgres!.freshSchemaUrl();
    const a = await openPostgres({ url, poolMax: 2 });
    const b = await openPostgres({ url, poolMax: 2 });
    return {
      stores: [createPostgresPerformanceStore(a, { clock }), createPostgresPerformanceStore(b, { clock })],
      close: async () => {
        await Promise.all([a.end(), b.end()]);
      },
    };
  });
});
