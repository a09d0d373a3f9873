import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { COMPACT_LEASE_MS, compactLakeJob } from '../composition/compact-job.js';
import { JobRunner, JobStoppedError } from '../features/jobs/index.js';
import { isTopic, type Topic } from '../pipeline/index.js';
import type { CompactSummary } from '../pipeline/lake/compact.js';
import { counted } from '../platform/plural.js';
import type { Command } from './command.js';
import { configFromEnvironment, openContainer } from './runtime.js';

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

export const compactLakeCommand: Command = {
  summary: "merge the lake's small files of closed KST days into one sorted file per topic and day",
  usage: `usage: ticketmoa compact-lake [--topic T] [--before YYYY-MM-DD] [--dry-run] [--grace SECONDS]

For each topic (or only --topic), merges the sink's files of every closed KST day (ended at least
three hours ago, more when LOG_FLUSH_MAX_AGE_MS is above an hour; never today) into
logs/{topic}/{YYYYMMDD}-day.parquet: each event_id once, sorted by timestamp, row groups of 100,000
events with column statistics, the same columns and types. Each new file is read back by DuckDB
and checked (the same event_ids as its sources) before it is stored; the sources are deleted
--grace seconds (default 30) after the last day file of the run is stored, so that readers that
listed the lake just before still find them. A crash leaves duplicates that every reader removes
by event_id; the next run finishes. A second run changes nothing. --before D takes only days
before D. --dry-run lists what would be merged. The schedule runs it every COMPACT_INTERVAL (24h).`,
  async run(args, { parseArgs }) {
    let topic: Topic | undefined;
    let before: string | undefined;
    let dryRun: boolean;
    let graceMs: number;
    try {
      const { values } = parseArgs({
        args,
        options: {
          topic: { type: 'string' },
          before: { type: 'string' },
          'dry-run': { type: 'boolean', default: false },
          grace: { type: 'string', default: '30' },
        },
      });
      if (values.topic !== undefined && !isTopic(values.topic)) throw new Error(`unknown topic ${JSON.stringify(values.topic)}`);
      topic = values.topic;
      if (values.before !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.before)) throw new Error('--before wants a day YYYY-MM-DD');
      before = values.before;
      dryRun = values['dry-run'] === true;
      graceMs = Number(values.grace) * 1000;
      if (!Number.isFinite(graceMs) || graceMs < 0) throw new Error('--grace wants seconds ≥ 0');
    } catch (err) {
      process.stderr.write(`ticketmoa compact-lake: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
    const config = configFromEnvironment();
    if (!config) return 2;
    // the database holds only the lease here: a lake-only host may start with an empty data dir
    const container = await openContainer('compact-lake', config, { mayCreate: true });
    if (!container) return 1;
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const began = performance.now();
    const elapsed = () => `${((performance.now() - began) / 1000).toFixed(1)}s`;
    try {
      const { lake, clock, stores } = container;
      // the scheduled runs' lease: a command and a schedule never compact at once
      const runner = new JobRunner<CompactSummary>(
        'compact',
        compactLakeJob({ lake, clock, config }, { topic, before, dryRun, graceMs }),
        COMPACT_LEASE_MS,
        { leases: stores.leases, clock, holder: `${hostname()}:${process.pid}:compact-lake` },
      );
      const outcome = await runner.run({
        signal: abort.signal,
        onProgress: (message) => process.stderr.write(`[compact-lake ${elapsed()}] ${message}\n`),
      });
      if (outcome.status === 'skipped') {
        process.stdout.write(`compact-lake: skipped, another run holds the lease (${outcome.heldBy ?? 'unknown'})\n`);
        return 0;
      }
      const s = outcome.summary;
      for (const d of s.days) {
        process.stdout.write(
          dryRun
            ? `would merge ${d.topic} ${d.day}: ${counted(d.sourceFiles, 'file')}, ${mb(d.sourceBytes)}\n`
            : `${d.topic} ${d.day}: ${counted(d.sourceFiles, 'file')} (${mb(d.sourceBytes)}) → 1 file, ${counted(d.events, 'event')}, ${mb(d.bytes)}\n`,
        );
      }
      process.stdout.write(
        dryRun
          ? `compact-lake: ${counted(s.days.length, 'topic-day')} to merge (closed days up to ${s.lastDay}), ${counted(s.sourceFiles, 'file')}; nothing changed (dry run)\n`
          : `compact-lake: ${counted(s.filesWritten, 'day file')} written, ${counted(s.filesDeleted, 'small file')} deleted, ${counted(s.events, 'event')} (closed days up to ${s.lastDay}) in ${elapsed()}\n`,
      );
      return 0;
    } catch (err) {
      if (err instanceof JobStoppedError || abort.signal.aborted) {
        process.stderr.write('compact-lake: stopped; the next run finishes (duplicates meanwhile are removed by every reader)\n');
        return 130;
      }
      process.stderr.write(`compact-lake: failed: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await container.close();
    }
  },
};
