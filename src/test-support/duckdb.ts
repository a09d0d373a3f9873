import { DuckDBInstance } from '@duckdb/node-api';

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
