import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { createIdGenerator } from '../../platform/ids.js';
import { startTestS3, type TestS3 } from '../../test-support/s3.js';
import { until } from '../../test-support/until.js';
import { createEmbeddedBus } from '../event-bus/embedded-bus.js';
import { listEventFiles, readTopicEvents } from '../lake/lake-reader.js';
import { createS3Lake } from '../lake/s3-lake.js';
import { openOutbox } from '../outbox/outbox.js';
import type { PipelineLog } from '../pipeline-log.js';
import { createOutboxRecorder } from '../recorder.js';
import { EventSink } from './sink.js';

let s3: TestS3;
let dir: string;
beforeAll(async () => {
  s3 = await startTestS3();
  dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-s3-outage-'));
});
afterAll(async () => {
  await s3?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the sink writing to S3', () => {
  it('when the S3 server goes away while events flow and comes back, then every event lands exactly once', async () => {
    const clock = manualClock('2026-11-27T03:00:00Z');
    const outbox = openOutbox(path.join(dir, 'outbox.db'));
    const warnings: string[] = [];
    const log: PipelineLog = { info: () => {}, error: () => {}, warn: (_o, msg) => warnings.push(msg) };
    const recorder = createOutboxRecorder({ outbox, clock, ids: createIdGenerator(clock), log });
    const lake = createS3Lake({
      bucket: s3.bucket,
      prefix: 'outage',
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const sink = new EventSink(
      { consumer: createEmbeddedBus(outbox, { pollMs: 10 }).consumer('sink'), lake, clock, log },
      { maxEvents: 20, maxAgeMs: 60_000, retryBaseMs: 10, retryMaxMs: 100 },
    );
    let recorded = 0;
    const record = (n: number) => {
      for (let i = 0; i < n; i++) {
        recorder.record('View_detail_log', 'view_detail', { user_id: 'anonymous', device: 'ua' }, { ticket_id: `t${recorded++}` });
      }
      recorder.flush();
    };
    await sink.start();
    try {
      record(100);
      await until('files reach S3', async () => (await listEventFiles(lake)).length >= 5);
      expect(sink.lakeWriteErrors).toBe(0);
      await s3.stop();
      record(100);
      await until('the sink notices the outage', () => warnings.includes('lake write failed; retrying'));
      expect(sink.lakeWriteErrors).toBeGreaterThan(0); // what ticketmoa_lake_write_errors_total shows
      record(100);
      await s3.restart();
      record(100);
      await until('the outbox is drained into S3', async () => {
        clock.advance(60_000); // the last partial buffers are written by age
        await sink.flushOld();
        return outbox.size() === 0;
      });
    } finally {
      await sink.stop();
    }
    const ids = (await readTopicEvents(lake, 'View_detail_log', { keepDuplicates: true })).map((e) => String(e.ticket_id));
    lake.close();
    outbox.close();
    expect(ids.length).toBe(400);
    expect(new Set(ids).size).toBe(400);
  }, 60_000);
});
