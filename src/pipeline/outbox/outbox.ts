import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** One recorded event waiting in the outbox. `id` only grows, so it doubles as a log offset. */
export interface OutboxRow {
  id: number;
  topic: string;
  key: string;
  payload: string;
}

/**
 * The durable local outbox every recorded event lands in before its response is sent.
 * A separate SQLite file (always local, whatever the main database is): WAL with
 * synchronous=NORMAL survives a kill -9 of the process, and an insert never waits on a network.
 */
export interface Outbox {
  append(topic: string, key: string, payload: string): void;
  /** Rows of one topic after `afterId`, oldest first. */
  readTopic(topic: string, afterId: number, limit: number): OutboxRow[];
  /** Rows of every topic after `afterId`, oldest first. */
  readAll(afterId: number, limit: number): OutboxRow[];
  /** Deletes exactly these rows (the forwarder, once Kafka acknowledged them). */
  remove(ids: readonly number[]): void;
  /** The position a consumer committed for one topic (0 when none). */
  committed(consumer: string, topic: string): number;
  /** Stores a consumer's position and drops the rows of that topic it no longer needs. */
  commit(consumer: string, topic: string, position: number, prune: boolean): void;
  size(): number;
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS outbox_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  topic TEXT NOT NULL,
  key TEXT NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_events_topic ON outbox_events (topic, id);
CREATE TABLE IF NOT EXISTS consumer_positions (
  consumer TEXT NOT NULL,
  topic TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (consumer, topic)
);`;

export function outboxFileOf(dataDir: string): string {
  return path.join(dataDir, 'outbox.db');
}

export function openOutbox(file: string): Outbox {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);

  const insert = db.prepare('INSERT INTO outbox_events (topic, key, payload) VALUES (?, ?, ?)');
  const byTopic = db.prepare(
    'SELECT id, topic, key, payload FROM outbox_events WHERE topic = ? AND id > ? ORDER BY id LIMIT ?',
  );
  const all = db.prepare('SELECT id, topic, key, payload FROM outbox_events WHERE id > ? ORDER BY id LIMIT ?');
  const del = db.prepare('DELETE FROM outbox_events WHERE id = ?');
  const position = db.prepare('SELECT position FROM consumer_positions WHERE consumer = ? AND topic = ?').pluck();
  const upsert = db.prepare(
    `INSERT INTO consumer_positions (consumer, topic, position) VALUES (?, ?, ?)
     ON CONFLICT (consumer, topic) DO UPDATE SET position = excluded.position`,
  );
  const prune = db.prepare('DELETE FROM outbox_events WHERE topic = ? AND id <= ?');
  const count = db.prepare('SELECT count(*) FROM outbox_events').pluck();
  const removeMany = db.transaction((ids: readonly number[]) => {
    for (const id of ids) del.run(id);
  });
  const commitTx = db.transaction((consumer: string, topic: string, pos: number, drop: boolean) => {
    upsert.run(consumer, topic, pos);
    if (drop) prune.run(topic, pos);
  });

  return {
    append: (topic, key, payload) => {
      insert.run(topic, key, payload);
    },
    readTopic: (topic, afterId, limit) => byTopic.all(topic, afterId, limit) as OutboxRow[],
    readAll: (afterId, limit) => all.all(afterId, limit) as OutboxRow[],
    remove: (ids) => removeMany.immediate(ids),
    committed: (consumer, topic) => (position.get(consumer, topic) as number | undefined) ?? 0,
    commit: (consumer, topic, pos, drop) => commitTx.immediate(consumer, topic, pos, drop),
    size: () => count.get() as number,
    close: () => db.close(),
  };
}
