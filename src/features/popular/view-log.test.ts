import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { viewLogFile } from '../../test-support/view-log-files.js';
import { hash53, readViews } from './view-log.js';

describe('reading a View_detail_log file', () => {
  it('when timestamps are TIMESTAMP millis, then each view gets its KST day', async () => {
    const batch = await readViews(
      viewLogFile([
        { event_id: 'e1', ticket_id: 't1', timestamp: Date.parse('2026-11-26T14:59:59.999Z') },
        { event_id: 'e2', ticket_id: 't2', timestamp: Date.parse('2026-11-26T15:00:00Z') },
      ]),
    );
    expect(batch.days).toEqual(['2026.11.26', '2026.11.27']);
    expect(batch.ticketIds).toEqual(['t1', 't2']);
    expect(batch.eventHashes).toEqual([hash53('e1'), hash53('e2')]);
  });

  it('when timestamps are ISO strings with +09:00 or rows lack ids, then strings are parsed and those rows skipped', async () => {
    const file = parquetWriteBuffer({
      columnData: [
        { name: 'event_id', data: ['e1', null, 'e3'], type: 'STRING', nullable: true },
        { name: 'timestamp', data: ['2026-11-27T08:00:00.000+09:00', '2026-11-27T08:00:00.000+09:00', 'garbled'], type: 'STRING', nullable: true },
        { name: 'ticket_id', data: ['t1', 't2', 't3'], type: 'STRING', nullable: true },
      ],
    });
    const batch = await readViews(new Uint8Array(file));
    expect(batch).toMatchObject({ ticketIds: ['t1', 't3'], days: ['2026.11.27', ''], skipped: 1 });
  });

  it('when the file has no ticket_id column, then it is rejected', async () => {
    const file = parquetWriteBuffer({ columnData: [{ name: 'event_id', data: ['e1'], type: 'STRING' }] });
    await expect(readViews(new Uint8Array(file))).rejects.toThrow('ticket_id');
  });

  it('when event ids differ, then their hashes differ and stay exact integers', () => {
    const hashes = new Set(Array.from({ length: 100_000 }, (_, i) => hash53(`event-${i}`)));
    expect(hashes.size).toBe(100_000);
    for (const h of [...hashes].slice(0, 100)) expect(Number.isSafeInteger(h)).toBe(true);
  });
});
