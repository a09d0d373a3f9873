import { describe, expect, it } from 'vitest';
import { type OpenedStore, withFreshStore } from '../../test-support/contract.js';
import type { ViewCountStore } from './view-count.store.js';
import { hash53, type ViewBatch } from './view-log.js';

const AT = new Date('2026-11-27T03:00:00Z');

function batch(events: [eventId: string, ticket: string, day: string][]): ViewBatch {
  return {
    eventHashes: events.map(([e]) => hash53(e)),
    ticketIds: events.map(([, t]) => t),
    days: events.map(([, , d]) => d),
    skipped: 0,
  };
}

/** The behaviour every ViewCountStore adapter shares. */
export function describeViewCountStoreContract(name: string, open: () => Promise<OpenedStore<ViewCountStore>>): void {
  describe(`ViewCountStore contract: ${name}`, () => {
    const withStore = withFreshStore(open);

    it(
      'counts each event once, across files, within a file and when a file is read again',
      withStore(async (store) => {
        const first = batch([
          ['e1', 'A', '2026.11.26'],
          ['e2', 'A', '2026.11.27'],
          ['e3', 'B', '2026.11.27'],
          ['e3', 'B', '2026.11.27'],
        ]);
        expect(await store.recordFiles([{ file: { key: 'logs/v/1.parquet', size: 10 }, views: first }], AT)).toBe(3);
        const overlap = batch([
          ['e2', 'A', '2026.11.27'],
          ['e4', 'B', '2026.11.27'],
          ['e5', 'B', '2026.11.27'],
        ]);
        expect(await store.recordFiles([{ file: { key: 'logs/v/2.parquet', size: 20 }, views: overlap }], AT)).toBe(2);
        expect(await store.recordFiles([{ file: { key: 'logs/v/1.parquet', size: 11 }, views: first }], AT)).toBe(0);
        expect(await store.counts()).toEqual([
          { ticket_id: 'B', views: 3 },
          { ticket_id: 'A', views: 2 },
        ]);
        expect(await store.readFiles()).toEqual(
          new Map([
            ['logs/v/1.parquet', 11],
            ['logs/v/2.parquet', 20],
          ]),
        );
      }),
    );

    it(
      'keeps per-day counts for trending windows and forgets old days but not totals',
      withStore(async (store) => {
        const views = batch([
          ['e1', 'A', '2026.11.20'],
          ['e2', 'A', '2026.11.20'],
          ['e3', 'B', '2026.11.27'],
          ['e4', 'C', ''],
        ]);
        await store.recordFiles([{ file: { key: 'k', size: 1 }, views }], AT);
        expect(await store.counts('2026.11.21')).toEqual([{ ticket_id: 'B', views: 1 }]);
        await store.pruneDaysBefore('2026.11.21');
        expect(await store.counts('2026.01.01')).toEqual([{ ticket_id: 'B', views: 1 }]);
        expect(await store.counts()).toEqual([
          { ticket_id: 'A', views: 2 },
          { ticket_id: 'B', views: 1 },
          { ticket_id: 'C', views: 1 },
        ]);
      }),
    );
  });
}
