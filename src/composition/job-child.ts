/**
 * The entry of a job process that `serve` forks (see `job-process.ts`): `node job-child.js <job>
 * <intervalMs>`. It runs the job under its lease in the database, as `ticketmoa <job>` does, when
 * it is still due, and reports progress and the outcome to its parent over IPC.
 */
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { loadConfig, loadDotEnv } from '../config/config.js';
import { createContainer, type Container, type Jobs } from '../container.js';
import { JobStoppedError, type JobOutcome } from '../features/jobs/index.js';
import type { JobChildMessage } from './job-child-messages.js';
import { JOB_PROCESS_PRIORITY, SIMILAR_RUNS_CHILD } from './job-process.js';

/** After the job has finished, how long a handle a library left open may keep the process alive. */
const EXIT_GRACE_MS = 3000;

const send = (message: JobChildMessage) =>
  new Promise<void>((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });

const isJob = (name: string | undefined): name is keyof Jobs => name === 'popular' || name === 'recommend' || name === 'kopis' || name === 'compact';

async function runJob([name, interval]: string[]): Promise<number> {
  if (name === SIMILAR_RUNS_CHILD) return similarRuns(interval);
  if (!isJob(name)) {
    await send({ type: 'error', message: `unknown job "${name}"` });
    return 2;
  }
  const job = name;
  return inJobProcess(async (container, signal) => {
    const outcome = await container.jobs[job].runIfDue(Number(interval ?? 0), {
      signal,
      onProgress: (message) => void send({ type: 'progress', message }),
    });
    return outcome ?? null;
  });
}

/** One pass of the similar-run backfill (`similarRunsInChildProcess`): no lease, the store is the record. */
async function similarRuns(json: string | undefined): Promise<number> {
  let request: { ids: string[]; sweep: boolean };
  try {
    const parsed = JSON.parse(json ?? '') as { ids?: unknown; sweep?: unknown };
    if (!Array.isArray(parsed.ids) || !parsed.ids.every((id) => typeof id === 'string')) throw new Error('ids');
    request = { ids: parsed.ids as string[], sweep: parsed.sweep === true };
  } catch {
    await send({ type: 'error', message: 'similar-runs needs {"ids": [...], "sweep": boolean}' });
    return 2;
  }
  return inJobProcess(async (container, signal) => {
    const began = performance.now();
    await container.catalogReady();
    const summary = await container.recommendations.computeMissing(request, { signal });
    return { status: 'ran', summary, ms: performance.now() - began };
  });
}

/**
 * Runs `work` at the lowest priority on a container of its own and reports its outcome: 0 when it
 * finished, 130 when SIGTERM, SIGINT or serve's going away stopped it, 1 when it failed.
 */
async function inJobProcess(work: (container: Container, signal: AbortSignal) => Promise<JobOutcome<unknown> | null>): Promise<number> {
  lowerEveryThread(JOB_PROCESS_PRIORITY);
  loadDotEnv();
  const container = await createContainer(loadConfig());
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // serve has gone (killed, say): stop and free the lease rather than run on unobserved.
  process.once('disconnect', stop);
  try {
    await send({ type: 'outcome', outcome: await work(container, abort.signal) });
    return 0;
  } catch (err) {
    if (err instanceof JobStoppedError || abort.signal.aborted) return 130;
    await send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    return 1;
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    process.off('disconnect', stop);
    await container.close();
  }
}

const done = (code: number) => {
  process.exitCode = code;
  if (process.connected) process.disconnect();
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
};
runJob(process.argv.slice(2)).then(done, async (err: unknown) => {
  await send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  done(1);
});

/**
 * On Linux a priority belongs to a thread: lowering the process id reaches only the main thread,
 * while V8's compiler and garbage-collector threads, started before this code runs, would keep
 * competing with the API at normal priority. Each thread of the process is lowered; threads made
 * later inherit it from the main thread.
 */
function lowerEveryThread(priority: number): void {
  let threads: number[] = [];
  try {
    threads = readdirSync('/proc/self/task').map(Number);
  } catch {
    // not Linux: the process priority is what there is
  }
  for (const id of [0, ...threads]) {
    try {
      setPriority(id, priority);
    } catch {
      // not permitted here: run at the priority we have
    }
  }
}
