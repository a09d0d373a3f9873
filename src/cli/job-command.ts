import { performance } from 'node:perf_hooks';
import type { Jobs } from '../container.js';
import { JobStoppedError } from '../features/jobs/job-runner.js';
import type { Command } from './command.js';
import { configFromEnvironment, openContainer } from './runtime.js';

/** A CLI command that runs one job once under its lease, printing progress and a summary. */
export function jobCommand<K extends keyof Jobs>(
  name: K,
  summary: string,
  usage: string,
  describe: (result: Awaited<ReturnType<Jobs[K]['run']>> & { status: 'ran' }) => string[],
): Command {
  return {
    summary,
    usage,
    async run() {
      const config = configFromEnvironment();
      if (!config) return 2;
      const container = await openContainer(name, config, { mayCreate: false });
      if (!container) return 1;
      const abort = new AbortController();
      const stop = () => abort.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const began = performance.now();
      const elapsed = () => `${((performance.now() - began) / 1000).toFixed(1)}s`;
      try {
        const outcome = await container.jobs[name].run({
          signal: abort.signal,
          onProgress: (message) => process.stderr.write(`[${name} ${elapsed()}] ${message}\n`),
        });
        if (outcome.status === 'skipped') {
          const until = outcome.until > 0 ? ` until ${new Date(outcome.until).toISOString()}` : '';
          process.stdout.write(`${name}: skipped, another run holds the lease (${outcome.heldBy ?? 'unknown'}${until})\n`);
          return 0;
        }
        const lines = describe(outcome as never);
        process.stdout.write(`${name}: done in ${elapsed()}\n${lines.map((l) => `  ${l}\n`).join('')}`);
        return 0;
      } catch (err) {
        if (err instanceof JobStoppedError) {
          process.stderr.write(`${name}: stopped after ${elapsed()}; the next run starts over\n`);
          return 130;
        }
        process.stderr.write(`${name}: failed: ${err instanceof Error ? err.message : String(err)}\n`);
        return 1;
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        await container.close();
      }
    },
  };
}
