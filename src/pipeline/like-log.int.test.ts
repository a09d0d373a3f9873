import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../platform/clock.js';
import { createIdGenerator } from '../platform/ids.js';
import { startTestService, type TestService } from '../test-support/app.js';
import { LAKE_COLUMN_TYPES, openDuckDb, sqlString, type DuckDb } from '../test-support/duckdb.js';
import { kcatAvailable, startTestKafka } from '../test-support/kafka.js';
import { until } from '../test-support/until.js';
import { createKafkaBus } from './event-bus/kafka-bus.js';
import type { Actor } from './events.js';
import { readTopicEvents } from './lake/lake-reader.js';
import { topicPrefix } from './lake/layout.js';
import { createMemoryLake } from './lake/memory-lake.js';
import { openOutbox } from './outbox/outbox.js';
import { silentLog } from './pipeline-log.js';
import { createOutboxRecorder } from './recorder.js';
import { EventSink } from './sink/sink.js';

const RUN = { ticket_id: 'eeeeeeeeeeeeeeeeeeee0001', title: "오페라의 유령 '25", category: '뮤지컬' };
const OTHER_RUN = { ticket_id: 'eeeeeeeeeeeeeeeeeeee0002', title: '햄릿', category: '연극' };
const MOA: Actor = { user_id: 'moa2026', device: 'Mozilla/5.0 (iPhone)', gender: 'F', birth_year: 1995 };
const KAKAO: Actor = { user_id: 'kakao:3141592653', device: 'Mozilla/5.0 (Windows NT 10.0)' };

describe('Like_log through the outbox, the embedded bus and the sink, read back by DuckDB', () => {
  let svc: TestService;
  let duck: DuckDb;
  const files = () => sqlString(path.join(svc.dataDir, 'lake', ...topicPrefix('Like_log').split('/'), '*.parquet'));

  beforeAll(async () => {
    const clock = manualClock('2026-11-26T23:59:59.500+09:00');
    svc = await startTestService({}, { clock });
    const { events, pipeline } = svc.container;
    const record = async (action: 'like' | 'unlike', actor: Actor, run: typeof RUN, status: 'changed' | 'unchanged') => {
      events.record('Like_log', action, actor, { ...run, status });
      await events.durable?.();
    };
    await record('like', MOA, RUN, 'changed');
    await record('like', MOA, RUN, 'unchanged'); // a repeated like
    clock.set('2026-11-27T00:00:00.250+09:00');
    await record('unlike', KAKAO, OTHER_RUN, 'unchanged'); // nothing to unlike
    // the sink stops (writing its buffers and committing), then a second one carries on
    const first = await pipeline.startSink();
    await first.stop();
    await record('unlike', MOA, RUN, 'changed');
    const second = await pipeline.startSink();
    await second.stop();
    duck = await openDuckDb();
  });
  afterAll(async () => {
    duck?.close();
    await svc?.close();
  });

  it('when the files are opened, then they have exactly the documented Like_log columns and types', async () => {
    expect(await duck.types(`SELECT * FROM read_parquet(${files()})`)).toEqual(LAKE_COLUMN_TYPES.Like_log);
    expect(LAKE_COLUMN_TYPES.Like_log).toMatchObject({ ticket_id: 'VARCHAR', title: 'VARCHAR', category: 'VARCHAR', status: 'VARCHAR' });
  });

  it('when the likes and unlikes are read, then each is there once with its values and KST time', async () => {
    const rows = await duck.all(`
      SELECT action, status, ticket_id, title, category, topic, user_id, device, gender, birth_year,
             strftime(timezone('Asia/Seoul', "timestamp"), '%Y-%m-%d %H:%M:%S.%g') AS kst
      FROM read_parquet(${files()}) ORDER BY "timestamp", event_id`);
    const moa = { user_id: MOA.user_id, device: MOA.device, gender: 'F', birth_year: 1995 };
    const kakao = { user_id: KAKAO.user_id, device: KAKAO.device, gender: null, birth_year: null };
    const at = '2026-11-26 23:59:59.500';
    const next = '2026-11-27 00:00:00.250';
    expect(rows).toHaveLength(4);
    expect(rows).toEqual(
      expect.arrayContaining([
        { action: 'like', status: 'changed', ...RUN, topic: 'Like_log', ...moa, kst: at },
        { action: 'like', status: 'unchanged', ...RUN, topic: 'Like_log', ...moa, kst: at },
        { action: 'unlike', status: 'unchanged', ...OTHER_RUN, topic: 'Like_log', ...kakao, kst: next },
        { action: 'unlike', status: 'changed', ...RUN, topic: 'Like_log', ...moa, kst: next },
      ]),
    );
    // the second sink wrote only the event recorded after the first one stopped
    expect(readdirSync(path.join(svc.dataDir, 'lake', 'logs', 'Like_log'))).toHaveLength(2);
    const [ids] = await duck.all(`SELECT count(*)::INTEGER AS n, count(DISTINCT event_id)::INTEGER AS distinct_ids FROM read_parquet(${files()})`);
    expect(ids).toEqual({ n: 4, distinct_ids: 4 });
  });

  it('when likes are counted per KST day as the dashboard does, then only changes count and the day boundary is KST midnight', async () => {
    const rows = await duck.all(`
      SELECT strftime(timezone('Asia/Seoul', "timestamp"), '%Y-%m-%d') AS day,
             count(*) FILTER (WHERE action = 'like' AND status = 'changed')::INTEGER AS likes,
             count(*) FILTER (WHERE action = 'unlike' AND status = 'changed')::INTEGER AS unlikes
      FROM read_parquet(${files()}) GROUP BY day ORDER BY day`);
    expect(rows).toEqual([
      { day: '2026-11-26', likes: 1, unlikes: 0 },
      { day: '2026-11-27', likes: 0, unlikes: 1 },
    ]);
  });
});

describe.skipIf(!kcatAvailable())('Like_log through the Kafka bus (kcat mock cluster)', () => {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterAll(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('when likes are recorded, then the forwarder ships them to the Like_log topic and the sink writes each once', async () => {
    const kafka = await startTestKafka();
    cleanups.push(() => kafka.close());
    const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-like-kafka-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const outbox = openOutbox(path.join(dir, 'outbox.db'));
    cleanups.push(() => outbox.close());
    const clock = manualClock('2026-11-27T03:00:00Z');
    const recorder = createOutboxRecorder({ outbox, clock, ids: createIdGenerator(clock), log: silentLog });
    const bus = createKafkaBus(
      { brokers: kafka.brokers, clientId: 'test' },
      { outbox, log: silentLog, pollMs: 20, retryMaxMs: 200, groupTimings: { sessionTimeout: 3000, rebalanceTimeout: 3000, heartbeatInterval: 200 } },
    );
    const lake = createMemoryLake();
    const forwarder = bus.forwarder();
    forwarder.start();
    cleanups.push(() => forwarder.stop());
    const sink = new EventSink({ consumer: bus.consumer('sink'), lake, clock, log: silentLog }, { maxEvents: 3, maxAgeMs: 60_000, retryBaseMs: 10 });
    await sink.start();
    recorder.record('Like_log', 'like', MOA, { ...RUN, status: 'changed' });
    recorder.record('Like_log', 'like', MOA, { ...RUN, status: 'unchanged' });
    recorder.record('Like_log', 'unlike', KAKAO, { ...OTHER_RUN, status: 'unchanged' });
    recorder.flush();
    await until('the outbox is shipped', () => outbox.size() === 0, 60_000);
    await until(
      'the lake holds the likes',
      async () => {
        clock.advance(60_000);
        await sink.flushOld();
        return (await readTopicEvents(lake, 'Like_log')).length >= 3;
      },
      60_000,
    );
    await sink.stop();
    const events = await readTopicEvents(lake, 'Like_log', { keepDuplicates: true });
    expect(events.map((e) => [e.action, e.status, e.ticket_id, e.user_id]).sort()).toEqual(
      [
        ['like', 'changed', RUN.ticket_id, MOA.user_id],
        ['like', 'unchanged', RUN.ticket_id, MOA.user_id],
        ['unlike', 'unchanged', OTHER_RUN.ticket_id, KAKAO.user_id],
      ].sort(),
    );
    expect((await lake.list(topicPrefix('Like_log'))).every((o) => o.key.includes('-kafka-'))).toBe(true);
  }, 90_000);
});
