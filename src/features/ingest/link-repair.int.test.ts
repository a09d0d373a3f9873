import { describe, expect, it } from 'vitest';
import { openPostgres } from '../../db/postgres/connection.js';
import { openSqlite } from '../../db/sqlite/connection.js';
import { fixedClock } from '../../platform/clock.js';
import { postgresTestDatabase } from '../../test-support/postgres.js';
import { makeRun } from '../../test-support/runs.js';
import {
  createMemoryPerformanceStore,
  createPostgresPerformanceStore,
  createSqlitePerformanceStore,
  type Performance,
  type PerformanceStore,
} from '../catalog/index.js';
import { repairLinks } from './link-repair.js';

const clock = fixedClock('2026-11-27T03:00:00Z');
const postgres = await postgresTestDatabase();

const adapters: [string, (() => Promise<{ store: PerformanceStore; close(): Promise<void> }>) | undefined][] = [
  ['memory', async () => ({ store: createMemoryPerformanceStore(), close: async () => {} })],
  [
    'sqlite',
    async () => {
      const db = openSqlite(':memory:');
      return { store: createSqlitePerformanceStore(db, { clock }), close: async () => void db.close() };
    },
  ],
  [
    'postgres',
    postgres &&
      (async () => {
        const pool = await openPostgres({ url: await postgres.freshSchemaUrl(), poolMax: 2 });
        return { store: createPostgresPerformanceStore(pool, { clock }), close: () => pool.end() };
      }),
  ],
];

/** Runs as an import before link checks could store them. */
const POISONED: Performance = makeRun({
  _id: 'bbbbbbbbbbbbbbbbbbbb0001',
  title: '독이 든 공연',
  poster_url: 'javascript:alert(document.cookie)',
  artist: [
    { artist_name: '아이유', artist_url: 'data:text/html,<script>alert(1)</script>' },
    { artist_name: '성시경', artist_url: 'https://artist.example.com/sung' },
  ],
  hosts: [
    { site_id: 1, ticket_url: 'https://tickets.example.com/1' },
    { site_id: 2, ticket_url: ' javascript:alert(2)' },
  ],
  schedule: '토요일(19:00)',
});
const HOST_ONLY = makeRun({ _id: 'bbbbbbbbbbbbbbbbbbbb0002', title: '예매처만', hosts: [{ site_id: 3, ticket_url: 'vbscript:msgbox(1)' }] });
const CLEAN = makeRun({ _id: 'bbbbbbbbbbbbbbbbbbbb0003', title: '멀쩡한 공연', poster_url: '/posters/bbbbbbbbbbbbbbbbbbbb0003' });

describe.each(adapters)('blanking stored unsafe links on the %s store', (_name, open) => {
  it.skipIf(!open)('when a dry run looks, then it lists every unsafe link and writes nothing', async () => {
    const { store, close } = await open!();
    try {
      await store.upsertMany([POISONED, HOST_ONLY, CLEAN]);
      const version = await store.version();
      const found: string[] = [];
      const summary = await repairLinks(store, {
        dryRun: true,
        batchSize: 2,
        onRun: (id, links) => void found.push(...links.map((l) => `${id} ${l.field}`)),
      });
      expect(summary).toEqual({ checked: 3, runs: 2, links: 4, cleaned: 0 });
      expect(found.sort()).toEqual(
        [
          `${POISONED._id} poster_url`,
          `${POISONED._id} artist[0].artist_url`,
          `${POISONED._id} hosts[1].ticket_url`,
          `${HOST_ONLY._id} hosts[0].ticket_url`,
        ].sort(),
      );
      expect(await store.version()).toBe(version);
      expect((await store.findByIds([POISONED._id]))[0]).toEqual(POISONED);
    } finally {
      await close();
    }
  });

  it.skipIf(!open)('when it runs, then only the bad links become null, the runs keep the rest, and a second run finds nothing', async () => {
    const { store, close } = await open!();
    try {
      await store.upsertMany([POISONED, HOST_ONLY, CLEAN]);
      const cleanDoc = await store.documentJson(CLEAN._id);
      expect(await repairLinks(store, { batchSize: 2 })).toEqual({ checked: 3, runs: 2, links: 4, cleaned: 2 });
      const [poisoned] = await store.findByIds([POISONED._id]);
      expect(poisoned).toEqual({
        ...POISONED,
        poster_url: null,
        artist: [
          { artist_name: '아이유', artist_url: null },
          { artist_name: '성시경', artist_url: 'https://artist.example.com/sung' },
        ],
        hosts: [
          { site_id: 1, ticket_url: 'https://tickets.example.com/1' },
          { site_id: 2, ticket_url: null },
        ],
      });
      expect((await store.findByIds([HOST_ONLY._id]))[0]!.hosts).toEqual([{ site_id: 3, ticket_url: null }]);
      const summaries = await store.summaries();
      expect(summaries.find((s) => s.id === HOST_ONLY._id)).toMatchObject({ sites: [3], hasTicketUrl: false });
      expect(summaries.find((s) => s.id === POISONED._id)).toMatchObject({ poster_url: null, artistNames: ['아이유', '성시경'] });
      expect(await store.documentJson(CLEAN._id)).toBe(cleanDoc);
      const version = await store.version();
      expect(await repairLinks(store)).toEqual({ checked: 3, runs: 0, links: 0, cleaned: 0 });
      expect(await store.version()).toBe(version);
    } finally {
      await close();
    }
  });
});
