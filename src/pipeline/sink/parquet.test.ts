import { parquetMetadata } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../events.js';
import { decodeEventFile } from '../lake/lake-reader.js';
import { writeEventsParquet } from './parquet.js';

const search: LoggedEvent = {
  event_id: 'e1',
  timestamp: '2026-11-27T21:15:30.123+09:00',
  topic: 'Search_log',
  action: 'search',
  user_id: 'kakao:42',
  device: 'Mozilla/5.0',
  gender: 'F',
  birth_year: 1994,
  keyword: '레미제라블',
  category: '뮤지컬',
  region: '',
  start_date: '',
  end_date: '',
  result_count: 3,
};

describe('event Parquet files', () => {
  it('when events are written, then they read back field for field, Korean text included', async () => {
    const anonymous: LoggedEvent = { ...search, event_id: 'e2', user_id: 'anonymous', gender: undefined, birth_year: undefined };
    delete anonymous.gender;
    delete anonymous.birth_year;
    const back = await decodeEventFile(writeEventsParquet('Search_log', [search, anonymous]));
    expect(back).toEqual([search, anonymous]);
  });

  it('when another engine reads the schema, then timestamps, counts and strings carry their types', () => {
    const bytes = writeEventsParquet('Search_log', [search]);
    const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    const col = (name: string) => meta.schema.find((s) => s.name === name)!;
    expect(col('timestamp')).toMatchObject({
      type: 'INT64',
      logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
    });
    expect(col('result_count')).toMatchObject({ type: 'INT32', converted_type: 'INT_32' });
    expect(col('birth_year')).toMatchObject({ type: 'INT32' });
    expect(col('keyword')).toMatchObject({ type: 'BYTE_ARRAY', converted_type: 'UTF8' });
    expect(meta.row_groups[0]!.columns[0]!.meta_data!.codec).toBe('SNAPPY');
  });

  it('when a topic has its own fields, then its file has exactly the common and those columns', () => {
    const bytes = writeEventsParquet('View_detail_log', [
      { ...search, topic: 'View_detail_log', action: 'view_detail', ticket_id: 'abc', title: '공연', keyword: 'dropped' },
    ]);
    const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(meta.schema.slice(1).map((s) => s.name)).toEqual([
      'event_id',
      'timestamp',
      'topic',
      'action',
      'user_id',
      'device',
      'gender',
      'birth_year',
      'ticket_id',
      'title',
      'category',
    ]);
  });
});

describe('an event file read back', () => {
  it('when a login fails, then its status and reason reach the file', async () => {
    const failed: LoggedEvent = {
      event_id: 'v1',
      timestamp: '2026-11-27T21:15:30.123+09:00',
      topic: 'Validate',
      action: 'login',
      user_id: 'anonymous',
      device: 'Mozilla/5.0',
      status: 'fail',
      error: 'invalid_credentials',
    };
    expect(await decodeEventFile(writeEventsParquet('Validate', [failed]))).toEqual([failed]);
  });
});
