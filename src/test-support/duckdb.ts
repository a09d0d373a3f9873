import { DuckDBInstance } from '@duckdb/node-api';
import type { Topic } from '../pipeline/index.js';

/** A DuckDB session: the independent reader that checks what the sink writes. */
export interface DuckDb {
  /** Rows as JSON-friendly objects (timestamps as UTC text). */
  all(sql: string): Promise<Record<string, unknown>[]>;
  /** `column → DuckDB type` of a query's result. */
  types(sql: string): Promise<Record<string, string>>;
  close(): void;
}

export async function openDuckDb(): Promise<DuckDb> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  const all = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  return {
    all,
    async types(sql) {
      const rows = await all(`DESCRIBE ${sql}`);
      return Object.fromEntries(rows.map((r) => [String(r.column_name), String(r.column_type)]));
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** A path or glob as a DuckDB string literal. */
export const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The column types docs/lake.md promises, as DuckDB names them. */
const COMMON = {
  event_id: 'VARCHAR',
  timestamp: 'TIMESTAMP WITH TIME ZONE',
  topic: 'VARCHAR',
  action: 'VARCHAR',
  user_id: 'VARCHAR',
  device: 'VARCHAR',
  gender: 'VARCHAR',
  birth_year: 'INTEGER',
};
const STATUS = { status: 'VARCHAR', error: 'VARCHAR' };
export const LAKE_COLUMN_TYPES: Record<Topic, Record<string, string>> = {
  Search_log: {
    ...COMMON,
    keyword: 'VARCHAR',
    category: 'VARCHAR',
    region: 'VARCHAR',
    start_date: 'VARCHAR',
    end_date: 'VARCHAR',
    result_count: 'INTEGER',
    matched_as: 'VARCHAR',
    page: 'INTEGER',
  },
  View_detail_log: { ...COMMON, ticket_id: 'VARCHAR', title: 'VARCHAR', category: 'VARCHAR' },
  Signup_log: { ...COMMON, status: 'VARCHAR', error: 'VARCHAR', requested_id: 'VARCHAR' },
  Validate: { ...COMMON, ...STATUS },
  Login_log: { ...COMMON, ...STATUS },
  Logout_log: { ...COMMON, ...STATUS },
  KakaoLogin_log: { ...COMMON, ...STATUS },
  KakaoLogout_log: { ...COMMON, ...STATUS },
  Like_log: { ...COMMON, ticket_id: 'VARCHAR', title: 'VARCHAR', category: 'VARCHAR', status: 'VARCHAR' },
};
