import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sortedMigrations } from '../migration.js';
import { sqliteMigrations } from './migrations/index.js';

export type SqliteDb = Database.Database;

/** Opens (creating if needed) a SQLite database and brings its schema up to date. */
export function openSqlite(file: string): SqliteDb {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrateSqlite(db);
  return db;
}

export function migrateSqlite(db: SqliteDb): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT id FROM schema_migrations').pluck().all() as string[]);
  const ran: string[] = [];
  // applied_at is an audit stamp of the real moment, so it comes from the database's clock.
  const record = db.prepare("INSERT INTO schema_migrations (id, applied_at) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
  for (const m of sortedMigrations(sqliteMigrations)) {
    if (applied.has(m.id)) continue;
    // BEGIN IMMEDIATE takes the write lock first, so two processes starting at once
    // serialise here and the second one sees the first one's row.
    db.transaction(() => {
      const again = db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?').get(m.id);
      if (again) return;
      db.exec(m.sql);
      record.run(m.id);
      ran.push(m.id);
    }).immediate();
  }
  return ran;
}
