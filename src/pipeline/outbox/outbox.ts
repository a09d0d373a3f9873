import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { systemClock } from '../../platform/clock.js';
import { createIdGenerator, type IdGenerator } from '../../platform/ids.js';
import { TOPICS, type Topic } from '../events.js';
import { type Checkpointer, startCheckpointer } from './checkpointer.js';
import { createSinkLockTable, type SinkLockTable } from './sink-lock-table.js';

/** One recorded event waiting in the outbox. Within a topic `id` only grows: it is the offset. */
export interface OutboxRow {
  topic: Topic;
  id: number;
  key: string;
  payload: string;
}

/** A row the bus refused for good, kept beside the log with the refusal. */
export interface SetAsideRow extends OutboxRow {
  reason: string;
}

/** Set-aside rows ever sent again or deleted by an operator (`ticketmoa outbox set-aside`), kept in the outbox file. */
export interface SetAsideTotals {
  replayed: number;
  dropped: number;
}

/**
 * The durable local outbox every recorded event lands in before its response is sent.
 * A separate SQLite file (always local, whatever the main database is): WAL with
 * synchronous=NORMAL survives a kill -9 of the process, and an insert never waits on a network.
 * One table per topic keeps the insert to one b-tree (no secondary index) and makes each topic's
 * rows one ordered log.
 */
export interface Outbox {
  append(topic: Topic, key: string, payload: string): void;
  /** Appends several rows in one transaction (one commit, one WAL write). */
  appendMany(rows: readonly [topic: Topic, key: string, payload: string][]): void;
  /** Rows of one topic after `afterId`, oldest first. */
  readTopic(topic: Topic, afterId: number, limit: number): OutboxRow[];
  /** The newest row id of a topic (0 when it never had one). */
  lastId(topic: Topic): number;
  /** Up to `limit` rows, oldest first within each topic. */
  readAny(limit: number): OutboxRow[];
  /** Deletes exactly these rows (the forwarder, once Kafka acknowledged them). */
  remove(rows: readonly Pick<OutboxRow, 'topic' | 'id'>[]): void;
  /** The last row id a consumer committed for one topic (0 when none). */
  committed(consumer: string, topic: Topic): number;
  /** Stores a consumer's position and drops the rows of that topic it no longer needs. */
  commit(consumer: string, topic: Topic, lastId: number, prune: boolean): void;
  /** Rows still waiting: not yet committed by the slowest consumer, or not yet forwarded. */
  size(): number;
  /**
   * `size()` from each topic's id range (a few index lookups instead of a scan). Exact while rows
   * leave each log from its front, as every consumer and the forwarder remove them; over-counts
   * when rows were removed from the middle.
   */
  sizeEstimate(): number;
  /** `sizeEstimate()` of each topic. */
  sizeEstimateByTopic(): Record<Topic, number>;
  /** `timestamp` of the oldest row still waiting (as `size()` counts them), or undefined. */
  oldestPendingTimestamp(): string | undefined;
  /**
   * Moves rows the bus refuses for good (too large, invalid) out of the log into a side table,
   * kept with the reason, so they stop blocking the rows behind them.
   */
  setAside(rows: readonly OutboxRow[], reason: string): void;
  /** Rows ever set aside and still kept. */
  setAsideCount(): number;
  /** The rows set aside and still kept, by topic and id, with their reasons. */
  setAsideRows(): SetAsideRow[];
  /**
   * Puts every set-aside row back at the end of its topic's log (a new id, above every id and
   * consumer position the topic had, the same key and payload), so whatever reads the log (the
   * forwarder to Kafka, or the embedded bus's sink) sends it again. One transaction with the
   * count in `setAsideTotals`. Returns the rows, each with its id in the log now.
   */
  replaySetAside(): (SetAsideRow & { newId: number })[];
  /** Deletes every set-aside row (one transaction with the count in `setAsideTotals`). Returns them. */
  dropSetAside(): SetAsideRow[];
  setAsideTotals(): SetAsideTotals;
  /**
   * This log's stable random id, created with the file: the embedded bus's offsets are only
   * unique within one outbox, so lake file names carry it to keep several producers apart.
   */
  readonly logId: string;
  /** The one-sink-per-data-directory lock (see `sink-lock.ts`). */
  readonly sinkLock: SinkLockTable;
  close(): void;
}

export interface OutboxOptions {
  /** Source of the log id when the file is new. */
  ids?: Pick<IdGenerator, 'uuid'>;
  /**
   * Where the write-ahead log is copied into the file: `inline` (SQLite's default, inside the
   * commit that crosses 1000 pages) or `background` (a worker thread every `checkpointIntervalMs`,
   * for a process whose commits are on the request loop). A file-less outbox is always inline.
   */
  checkpoints?: 'inline' | 'background';
  checkpointIntervalMs?: number;
  /** Told when background checkpoints failed and the outbox went back to inline ones. */
  onCheckpointFailure?: (err: Error) => void;
}

const AUTOCHECKPOINT_PAGES = 1000;

const tableOf = (topic: Topic) => `outbox_${topic}`;

const SCHEMA = [
  ...TOPICS.map((t) => `CREATE TABLE IF NOT EXISTS ${tableOf(t)} (id INTEGER PRIMARY KEY, key TEXT NOT NULL, payload TEXT NOT NULL);`),
  `CREATE TABLE IF NOT EXISTS consumer_positions (
    consumer TEXT NOT NULL,
    topic TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (consumer, topic)
  );`,
  `CREATE TABLE IF NOT EXISTS outbox_set_aside (
    topic TEXT NOT NULL,
    id INTEGER NOT NULL,
    key TEXT NOT NULL,
    payload TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (topic, id)
  );`,
  'CREATE TABLE IF NOT EXISTS outbox_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);',
].join('\n');

function timestampOf(payload: string): string | undefined {
  try {
    const stamp = (JSON.parse(payload) as { timestamp?: unknown }).timestamp;
    return typeof stamp === 'string' && !Number.isNaN(Date.parse(stamp)) ? stamp : undefined;
  } catch {
    return undefined;
  }
}

export function outboxFileOf(dataDir: string): string {
  return path.join(dataDir, 'outbox.db');
}

/** The stored log id, or a new one when the file has none (the first insert wins a race). */
function logIdOf(db: Database.Database, ids: Pick<IdGenerator, 'uuid'>): string {
  const read = db.prepare("SELECT value FROM outbox_meta WHERE name = 'log_id'").pluck();
  const stored = read.get() as string | undefined;
  if (stored !== undefined) return stored;
  // 48 random bits (a UUID's first 12 hex digits): collisions between instances are negligible.
  const fresh = ids.uuid().replace(/-/g, '').slice(0, 12);
  db.prepare("INSERT OR IGNORE INTO outbox_meta (name, value) VALUES ('log_id', ?)").run(fresh);
  return read.get() as string;
}

export function openOutbox(file: string, options: OutboxOptions = {}): Outbox {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  let checkpointer: Checkpointer | undefined;
  if (options.checkpoints === 'background' && file !== ':memory:') {
    db.pragma('wal_autocheckpoint = 0');
    checkpointer = startCheckpointer(file, options.checkpointIntervalMs ?? 1000, (err) => {
      checkpointer = undefined;
      if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      options.onCheckpointFailure?.(err);
    });
  }
  const logId = logIdOf(db, options.ids ?? createIdGenerator(systemClock));
  const sinkLock = createSinkLockTable(db);

  const per = new Map(
    TOPICS.map((topic) => {
      const table = tableOf(topic);
      return [
        topic,
        {
          insert: db.prepare(`INSERT INTO ${table} (key, payload) VALUES (?, ?)`),
          insertAt: db.prepare(`INSERT INTO ${table} (id, key, payload) VALUES (?, ?, ?)`),
          after: db.prepare(`SELECT id, key, payload FROM ${table} WHERE id > ? ORDER BY id LIMIT ?`),
          del: db.prepare(`DELETE FROM ${table} WHERE id = ?`),
          // The committed row itself stays: it keeps the rowid sequence from ever going back,
          // so an offset is never handed out twice even when the log was emptied.
          prune: db.prepare(`DELETE FROM ${table} WHERE id < ?`),
          count: db.prepare(`SELECT count(*) FROM ${table} WHERE id > ?`).pluck(),
          // Two rowid seeks, where count() walks every row.
          span: db
            .prepare(
              `SELECT coalesce((SELECT id FROM ${table} ORDER BY id DESC LIMIT 1)
                 - (SELECT id FROM ${table} WHERE id > ? ORDER BY id LIMIT 1) + 1, 0)`,
            )
            .pluck(),
          last: db.prepare(`SELECT coalesce(max(id), 0) FROM ${table}`).pluck(),
          oldest: db.prepare(`SELECT payload FROM ${table} WHERE id > ? ORDER BY id LIMIT 1`).pluck(),
        },
      ] as const;
    }),
  );
  const statements = (topic: Topic) => {
    const s = per.get(topic);
    if (!s) throw new Error(`not an event topic: ${String(topic)}`);
    return s;
  };
  const position = db.prepare('SELECT position FROM consumer_positions WHERE consumer = ? AND topic = ?').pluck();
  const minPosition = db.prepare('SELECT coalesce(min(position), 0) FROM consumer_positions WHERE topic = ?').pluck();
  const upsert = db.prepare(
    `INSERT INTO consumer_positions (consumer, topic, position) VALUES (?, ?, ?)
     ON CONFLICT (consumer, topic) DO UPDATE SET position = excluded.position`,
  );
  const rowsOf = (topic: Topic, rows: unknown[]) => (rows as Omit<OutboxRow, 'topic'>[]).map((r) => ({ topic, ...r }));
  const appendTx = db.transaction((rows: readonly [Topic, string, string][]) => {
    for (const [topic, key, payload] of rows) statements(topic).insert.run(key, payload);
  });
  const removeMany = db.transaction((rows: readonly Pick<OutboxRow, 'topic' | 'id'>[]) => {
    for (const r of rows) statements(r.topic).del.run(r.id);
  });
  const listAside = db.prepare('SELECT topic, id, key, payload, reason FROM outbox_set_aside ORDER BY topic, id');
  const deleteAside = db.prepare('DELETE FROM outbox_set_aside WHERE topic = ? AND id = ?');
  const maxPosition = db.prepare('SELECT coalesce(max(position), 0) FROM consumer_positions WHERE topic = ?').pluck();
  const readTotal = db.prepare('SELECT value FROM outbox_meta WHERE name = ?').pluck();
  const addToTotal = db.prepare(
    `INSERT INTO outbox_meta (name, value) VALUES (?, ?)
     ON CONFLICT (name) DO UPDATE SET value = CAST(CAST(outbox_meta.value AS INTEGER) + CAST(excluded.value AS INTEGER) AS TEXT)`,
  );
  const totalOf = (name: string) => Number((readTotal.get(name) as string | undefined) ?? 0);
  const asideRows = () => listAside.all() as SetAsideRow[];
  const replayTx = db.transaction((): (SetAsideRow & { newId: number })[] => {
    const rows = asideRows();
    const replayed: (SetAsideRow & { newId: number })[] = [];
    for (const r of rows) {
      const s = statements(r.topic);
      // Above the log's newest row and every consumer's position: the embedded sink reads it too.
      const id = Math.max(s.last.get() as number, maxPosition.get(r.topic) as number) + 1;
      s.insertAt.run(id, r.key, r.payload);
      deleteAside.run(r.topic, r.id);
      replayed.push({ ...r, newId: id });
    }
    if (replayed.length > 0) addToTotal.run('set_aside_replayed', String(replayed.length));
    return replayed;
  });
  const dropTx = db.transaction((): SetAsideRow[] => {
    const rows = asideRows();
    for (const r of rows) deleteAside.run(r.topic, r.id);
    if (rows.length > 0) addToTotal.run('set_aside_dropped', String(rows.length));
    return rows;
  });
  const keepAside = db.prepare('INSERT OR REPLACE INTO outbox_set_aside (topic, id, key, payload, reason) VALUES (?, ?, ?, ?, ?)');
  const asideCount = db.prepare('SELECT count(*) FROM outbox_set_aside').pluck();
  const setAsideTx = db.transaction((rows: readonly OutboxRow[], reason: string) => {
    for (const r of rows) {
      keepAside.run(r.topic, r.id, r.key, r.payload, reason);
      statements(r.topic).del.run(r.id);
    }
  });
  const commitTx = db.transaction((consumer: string, topic: Topic, lastId: number, drop: boolean) => {
    upsert.run(consumer, topic, lastId);
    if (drop) statements(topic).prune.run(minPosition.get(topic) as number);
  });

  return {
    append: (topic, key, payload) => {
      statements(topic).insert.run(key, payload);
    },
    appendMany: (rows) => appendTx(rows),
    readTopic: (topic, afterId, limit) => rowsOf(topic, statements(topic).after.all(afterId, limit)),
    lastId: (topic) => statements(topic).last.get() as number,
    readAny(limit) {
      const out: OutboxRow[] = [];
      for (const topic of TOPICS) {
        if (out.length >= limit) break;
        out.push(...rowsOf(topic, statements(topic).after.all(0, limit - out.length)));
      }
      return out;
    },
    remove: (rows) => removeMany.immediate(rows),
    committed: (consumer, topic) => (position.get(consumer, topic) as number | undefined) ?? 0,
    commit: (consumer, topic, lastId, drop) => commitTx.immediate(consumer, topic, lastId, drop),
    size() {
      let n = 0;
      for (const topic of TOPICS) n += statements(topic).count.get(minPosition.get(topic)) as number;
      return n;
    },
    sizeEstimate() {
      let n = 0;
      for (const topic of TOPICS) n += statements(topic).span.get(minPosition.get(topic)) as number;
      return n;
    },
    sizeEstimateByTopic() {
      return Object.fromEntries(TOPICS.map((topic) => [topic, statements(topic).span.get(minPosition.get(topic)) as number])) as Record<
        Topic,
        number
      >;
    },
    oldestPendingTimestamp() {
      let oldest: string | undefined;
      for (const topic of TOPICS) {
        const payload = statements(topic).oldest.get(minPosition.get(topic)) as string | undefined;
        if (payload === undefined) continue;
        const stamp = timestampOf(payload);
        if (stamp !== undefined && (oldest === undefined || Date.parse(stamp) < Date.parse(oldest))) oldest = stamp;
      }
      return oldest;
    },
    setAside: (rows, reason) => setAsideTx.immediate(rows, reason),
    setAsideCount: () => asideCount.get() as number,
    setAsideRows: () => asideRows(),
    replaySetAside: () => replayTx.immediate(),
    dropSetAside: () => dropTx.immediate(),
    setAsideTotals: () => ({ replayed: totalOf('set_aside_replayed'), dropped: totalOf('set_aside_dropped') }),
    logId,
    sinkLock,
    close() {
      // the worker's connection closes first, so this one is the last and removes the WAL files
      checkpointer?.stop();
      checkpointer = undefined;
      db.close();
    },
  };
}
