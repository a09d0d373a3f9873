import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../events.js';
import { writeEventsParquet } from '../sink/parquet.js';
import { decodeEventColumns, listEventFiles, readAllEvents, readEventFile, readTopicEvents } from './lake-reader.js';
import { topicPrefix } from './layout.js';
import { createMemoryLake } from './memory-lake.js';

const search: LoggedEvent = {
  event_id: 's1',
  timestamp: '2026-11-27T21:15:30.123+09:00',
  topic: 'Search_log',
  action: 'search',
  user_id: 'anonymous',
  device: 'Mozilla/5.0',
  keyword: '레미제라블',
  result_count: 3,
};
const view = (id: string): LoggedEvent => ({ ...search, event_id: id, topic: 'View_detail_log', action: 'view_detail', ticket_id: `t-${id}` });
const views = (...ids: string[]) => writeEventsParquet('View_detail_log', ids.map(view));
const viewKey = (name: string) => `${topicPrefix('View_detail_log')}${name}`;

async function lakeWithCopies() {
  const lake = createMemoryLake();
  await lake.put(viewKey('a.parquet'), views('1', '2'));
  await lake.put(viewKey('b.parquet'), views('2', '3'));
  await lake.put(viewKey('notes.txt'), new TextEncoder().encode('not an event file'));
  await lake.put(`${topicPrefix('Search_log')}c.parquet`, writeEventsParquet('Search_log', [search]));
  await lake.put('logs/Unknown_log/d.parquet', views('9'));
  return lake;
}

describe('listing event files', () => {
  it('when a topic is named, then only its Parquet files come back, with their topic and size', async () => {
    const lake = await lakeWithCopies();
    const files = await listEventFiles(lake, 'View_detail_log');
    expect(files.map((f) => [f.key, f.topic])).toEqual([
      ['logs/View_detail_log/a.parquet', 'View_detail_log'],
      ['logs/View_detail_log/b.parquet', 'View_detail_log'],
    ]);
    expect(files[0]!.size).toBe((await lake.get(files[0]!.key))!.byteLength);
  });

  it('when no topic is named, then every known topic’s files come back in key order', async () => {
    const lake = await lakeWithCopies();
    expect((await listEventFiles(lake)).map((f) => f.key)).toEqual([
      'logs/Search_log/c.parquet',
      'logs/View_detail_log/a.parquet',
      'logs/View_detail_log/b.parquet',
    ]);
  });
});

describe('reading events', () => {
  it('when an event sits in two files, then it is read once, and other topics are left out', async () => {
    const lake = await lakeWithCopies();
    const events = await readTopicEvents(lake, 'View_detail_log');
    expect(events.map((e) => e.ticket_id)).toEqual(['t-1', 't-2', 't-3']);
  });

  it('when copies are kept, then every row of every file comes back', async () => {
    const lake = await lakeWithCopies();
    expect((await readTopicEvents(lake, 'View_detail_log', { keepDuplicates: true })).map((e) => e.event_id)).toEqual(['1', '2', '2', '3']);
    expect((await readAllEvents(lake, { keepDuplicates: true })).map((e) => e.event_id)).toEqual(['s1', '1', '2', '2', '3']);
    expect((await readAllEvents(lake)).map((e) => e.event_id)).toEqual(['s1', '1', '2', '3']);
  });

  it('when one file is read, then its events come back as written, and a missing key reads as undefined', async () => {
    const lake = await lakeWithCopies();
    expect(await readEventFile(lake, `${topicPrefix('Search_log')}c.parquet`)).toEqual([search]);
    expect(await readEventFile(lake, viewKey('gone.parquet'))).toBeUndefined();
  });
});

describe('reading selected columns', () => {
  it('when timestamps are TIMESTAMP millis, then they read as epoch ms or as the KST day', async () => {
    const bytes = writeEventsParquet('View_detail_log', [
      { ...view('e1'), timestamp: '2026-11-26T23:59:59.999+09:00' },
      { ...view('e2'), timestamp: '2026-11-27T00:00:00.000+09:00' },
    ]);
    expect(await decodeEventColumns(bytes, ['event_id', 'timestamp'])).toEqual({
      rows: [
        ['e1', Date.parse('2026-11-26T14:59:59.999Z')],
        ['e2', Date.parse('2026-11-26T15:00:00.000Z')],
      ],
      missing: [],
    });
    const { rows } = await decodeEventColumns(bytes, ['timestamp', 'ticket_id'], { timestamp: 'kst-day' });
    expect(rows).toEqual([
      ['2026.11.26', 't-e1'],
      ['2026.11.27', 't-e2'],
    ]);
  });

  it('when timestamps are strings or a column is missing, then strings are parsed and the missing column reads as undefined', async () => {
    const file = parquetWriteBuffer({
      columnData: [
        { name: 'event_id', data: ['e1', 'e2'], type: 'STRING', nullable: true },
        { name: 'timestamp', data: ['2026-11-27T08:00:00.000+09:00', 'garbled'], type: 'STRING', nullable: true },
      ],
    });
    expect(await decodeEventColumns(new Uint8Array(file), ['event_id', 'ticket_id', 'timestamp'], { timestamp: 'kst-day' })).toEqual({
      rows: [
        ['e1', undefined, '2026.11.27'],
        ['e2', undefined, undefined],
      ],
      missing: ['ticket_id'],
    });
  });
});
