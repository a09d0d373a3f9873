import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { systemClock } from '../platform/clock.js';
import { createIdGenerator } from '../platform/ids.js';
import { createEmbeddedBus } from '../pipeline/event-bus/embedded-bus.js';
import { createLocalLake } from '../pipeline/lake/local-lake.js';
import { openOutbox } from '../pipeline/outbox/outbox.js';
import { silentLog } from '../pipeline/pipeline-log.js';
import { createOutboxRecorder } from '../pipeline/recorder.js';
import { EventSink } from '../pipeline/sink/sink.js';

export interface SinkThroughput {
  events: number;
  files: number;
  /** Events per second the recorder makes durable, ten per commit (the API's share of the cost). */
  recordPerSecond: number;
  /** Events per second the sink moved from the embedded bus into Parquet files in a local lake. */
  sinkPerSecond: number;
}

/**
 * Fills an outbox with `events` typical events, then times one sink (embedded bus, local lake,
 * 1000 events a file) until every event is in a Parquet file and committed.
 */
export async function measureSinkThroughput(events = 200_000): Promise<SinkThroughput> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-bench-sink-'));
  const clock = systemClock;
  const outbox = openOutbox(path.join(dir, 'outbox.db'));
  try {
    const recorder = createOutboxRecorder({ outbox, clock, ids: createIdGenerator(clock), log: silentLog });
    const device = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
    const recordStart = performance.now();
    for (let i = 0; i < events; i++) {
      if (i % 2 === 0) {
        recorder.record(
          'View_detail_log',
          'view_detail',
          { user_id: 'anonymous', device },
          {
            ticket_id: (i % 5000).toString(16).padStart(24, '0'),
            title: `뮤지컬 공연 제목 ${i % 5000}`,
            category: '뮤지컬',
          },
        );
      } else {
        recorder.record(
          'Search_log',
          'search',
          { user_id: `user${i % 1000}`, device, gender: 'F', birth_year: 1990 },
          {
            keyword: `검색어${i % 300}`,
            category: '',
            region: '서울',
            start_date: '',
            end_date: '',
            result_count: i % 50,
          },
        );
      }
      // Ten requests per event-loop turn share one commit, as under a moderately busy API.
      if (i % 10 === 9) await recorder.durable();
    }
    await recorder.durable();
    const recordSeconds = (performance.now() - recordStart) / 1000;

    const sink = new EventSink(
      { consumer: createEmbeddedBus(outbox, { pollMs: 5 }).consumer('bench'), lake: createLocalLake(path.join(dir, 'lake')), clock, log: silentLog },
      { maxEvents: 1000, maxAgeMs: 3_600_000 },
    );
    const sinkStart = performance.now();
    await sink.start();
    while (sink.eventsWritten < events) await new Promise((r) => setTimeout(r, 2));
    const sinkSeconds = (performance.now() - sinkStart) / 1000;
    await sink.stop();
    return {
      events,
      files: sink.filesWritten,
      recordPerSecond: Math.round(events / recordSeconds),
      sinkPerSecond: Math.round(events / sinkSeconds),
    };
  } finally {
    outbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await measureSinkThroughput(Number(process.argv[2] ?? 200_000));
  process.stdout.write(
    `sink throughput: ${result.sinkPerSecond} events/s into Parquet (${result.events} events, ${result.files} files; ` +
      `target >= 50000/s); recorder: ${result.recordPerSecond} events/s into the outbox\n`,
  );
}
