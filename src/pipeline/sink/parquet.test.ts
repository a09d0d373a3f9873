import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, sqlString, type DuckDb } from '../../test-support/duckdb.js';
import { TOPICS, type LoggedEvent, type Topic } from '../events.js';
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
      'event_id', 'timestamp', 'topic', 'action', 'user_id', 'device', 'gender', 'birth_year', 'ticket_id', 'title', 'category',
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

describe('event Parquet files read by DuckDB (an independent engine)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-parquet-'));
  let duck: DuckDb;
  beforeAll(async () => {
    duck = await openDuckDb();
  });
  afterAll(() => {
    duck?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fieldsOf: Record<Topic, Record<string, string | number>> = {
    Search_log: { keyword: "피아노 '독주'", category: '콘서트', region: '서울', start_date: '2026.12.01', end_date: '', result_count: 42 },
    View_detail_log: { ticket_id: '64b7f0c2a1b2c3d4e5f60718', title: '레미제라블', category: '뮤지컬' },
    Signup_log: { status: 'fail', error: 'taken', requested_id: 'moa2026' },
    Validate: { status: 'fail', error: 'invalid_credentials' },
    Login_log: { status: 'success', error: '' },
    Logout_log: { status: 'success', error: '' },
    KakaoLogin_log: { status: 'success', error: '' },
    KakaoLogout_log: { status: 'fail', error: 'kakao_unavailable' },
  };
  const commonTypes = {
    event_id: 'VARCHAR',
    timestamp: 'TIMESTAMP WITH TIME ZONE',
    topic: 'VARCHAR',
    action: 'VARCHAR',
    user_id: 'VARCHAR',
    device: 'VARCHAR',
    gender: 'VARCHAR',
    birth_year: 'INTEGER',
  };

  it.each([...TOPICS])('when the %s file is opened, then every column has its documented type and value', async (topic) => {
    const signedIn: LoggedEvent = {
      event_id: `${topic}-1`,
      timestamp: '2026-11-27T21:15:30.123+09:00',
      topic,
      action: 'act',
      user_id: 'moa2026',
      device: 'Mozilla/5.0 (iPhone)',
      gender: 'F',
      birth_year: 1994,
      ...fieldsOf[topic],
    };
    const anonymous: LoggedEvent = { event_id: `${topic}-2`, timestamp: '2026-11-28T00:00:00.000+09:00', topic, action: 'act', user_id: 'anonymous', device: 'curl' };
    const file = path.join(dir, `${topic}.parquet`);
    writeFileSync(file, writeEventsParquet(topic, [signedIn, anonymous]));
    const from = `SELECT * FROM read_parquet(${sqlString(file)})`;

    const expectedTypes: Record<string, string> = { ...commonTypes };
    for (const [name, value] of Object.entries(fieldsOf[topic])) expectedTypes[name] = typeof value === 'number' ? 'INTEGER' : 'VARCHAR';
    expect(await duck.types(from)).toEqual(expectedTypes);

    // The instant is UTC-adjusted; asked for KST, DuckDB shows the time the event was recorded at.
    const kst = `strftime(timezone('Asia/Seoul', "timestamp"), '%Y-%m-%dT%H:%M:%S.%g+09:00')`;
    const rows = await duck.all(`SELECT * REPLACE (${kst} AS "timestamp") FROM read_parquet(${sqlString(file)}) ORDER BY event_id`);
    expect(rows).toEqual([signedIn, { ...Object.fromEntries(Object.keys(expectedTypes).map((k) => [k, null])), ...anonymous }]);
    const [utc] = await duck.all(`SELECT strftime("timestamp", '%Y-%m-%d %H:%M:%S.%g') AS t ${from.slice(9)} WHERE event_id = '${topic}-1'`);
    expect(utc).toEqual({ t: '2026-11-27 12:15:30.123' });
  });
});
