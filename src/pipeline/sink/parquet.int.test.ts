import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAKE_COLUMN_TYPES, openDuckDb, sqlString, type DuckDb } from '../../test-support/duckdb.js';
import { TOPICS, type LoggedEvent, type Topic } from '../events.js';
import { writeEventsParquet } from './parquet.js';

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
    Search_log: {
      keyword: "피아노 '독주'",
      category: '콘서트',
      region: '서울',
      start_date: '2026.12.01',
      end_date: '',
      result_count: 42,
      matched_as: 'prefix,choseong',
      page: 2,
    },
    View_detail_log: { ticket_id: '64b7f0c2a1b2c3d4e5f60718', title: '레미제라블', category: '뮤지컬' },
    Signup_log: { status: 'fail', error: 'taken', requested_id: 'moa2026' },
    Validate: { status: 'fail', error: 'invalid_credentials' },
    Login_log: { status: 'success', error: '' },
    Logout_log: { status: 'success', error: '' },
    KakaoLogin_log: { status: 'success', error: '' },
    KakaoLogout_log: { status: 'fail', error: 'kakao_unavailable' },
    Like_log: { ticket_id: '64b7f0c2a1b2c3d4e5f60718', title: '레미제라블', category: '뮤지컬', status: 'changed' },
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
    const anonymous: LoggedEvent = {
      event_id: `${topic}-2`,
      timestamp: '2026-11-28T00:00:00.000+09:00',
      topic,
      action: 'act',
      user_id: 'anonymous',
      device: 'curl',
    };
    const file = path.join(dir, `${topic}.parquet`);
    writeFileSync(file, writeEventsParquet(topic, [signedIn, anonymous]));
    const from = `SELECT * FROM read_parquet(${sqlString(file)})`;

    const expectedTypes = LAKE_COLUMN_TYPES[topic];
    expect(await duck.types(from)).toEqual(expectedTypes);

    // The instant is UTC-adjusted; asked for KST, DuckDB shows the time the event was recorded at.
    const kst = `strftime(timezone('Asia/Seoul', "timestamp"), '%Y-%m-%dT%H:%M:%S.%g+09:00')`;
    const rows = await duck.all(`SELECT * REPLACE (${kst} AS "timestamp") FROM read_parquet(${sqlString(file)}) ORDER BY event_id`);
    expect(rows).toEqual([signedIn, { ...Object.fromEntries(Object.keys(expectedTypes).map((k) => [k, null])), ...anonymous }]);
    const [utc] = await duck.all(`SELECT strftime("timestamp", '%Y-%m-%d %H:%M:%S.%g') AS t ${from.slice(9)} WHERE event_id = '${topic}-1'`);
    expect(utc).toEqual({ t: '2026-11-27 12:15:30.123' });
  });
});
