import { fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { JobStoppedError, type JobOutcome, type RunOptions, type ScheduledJob } from '../features/jobs/index.js';
import type { SimilarRunsRequest, SimilarRunsSummary } from '../features/recommendations/index.js';
import type { Logger } from '../platform/logger.js';
import { isJobChildMessage } from './job-child-messages.js';

/** The lowest scheduling priority (`nice 19`): the job gets the CPU the API leaves idle. */
export const JOB_PROCESS_PRIORITY = 19;
/** After SIGTERM, how long a job process has to stop at its next progress point before it is killed. */
const STOP_GRACE_MS = 20_000;
const CHILD_MAIN = fileURLToPath(new URL('./job-child.js', import.meta.url));

export interface JobProcessDeps {
  /** The job in this process; here it only says whether a run is due (from the lease store). */
  runner: { readonly name: string; isDue(intervalMs: number): Promise<boolean> };
  log: Logger;
  stopGraceMs?: number;
}

/**
 * Runs a job in a child process at the lowest OS priority, so a long build never holds the API's
 * event loop or its heap: the child (`job-child.ts`) takes the job's lease in the database as the
 * CLI does, reports progress and its outcome over IPC, and its memory goes when it exits.
 * Aborting the run's signal sends the child SIGTERM (it stops at its next progress point and frees
 * the lease), and the run rejects with `JobStoppedError` once the child is gone.
 */
export function jobInChildProcess(deps: JobProcessDeps): ScheduledJob {
  const { runner, log } = deps;
  const name = runner.name;
  return {
    name,
    async runIfDue(intervalMs: number, opts: RunOptions = {}): Promise<JobOutcome<unknown> | undefined> {
      // Checked here too so that a job that is not due costs no process start.
      if (!(await runner.isDue(intervalMs))) return undefined;
      if (opts.signal?.aborted) throw new JobStoppedError();
      return runInChild(name, [name, String(intervalMs)], opts, log, deps.stopGraceMs ?? STOP_GRACE_MS);
    },
  };
}

/** The name job processes that compute similar-run lists (`SimilarRunsBackfill`'s passes) go by. */
export const SIMILAR_RUNS_CHILD = 'similar-runs';

/**
 * One pass of the similar-run backfill in a child process at the lowest OS priority, like the jobs:
 * the child loads the catalogue, computes the lists of the asked runs (and with `sweep` of other
 * runs without one) and stores them; the API process only waits for its answer.
 */
export function similarRunsInChildProcess(log: Logger, stopGraceMs = STOP_GRACE_MS) {
  return async (request: SimilarRunsRequest, signal: AbortSignal): Promise<SimilarRunsSummary> => {
    const outcome = await runInChild(SIMILAR_RUNS_CHILD, [SIMILAR_RUNS_CHILD, JSON.stringify(request)], { signal }, log, stopGraceMs);
    if (outcome?.status !== 'ran') throw new Error('similar-runs process answered no summary');
    return outcome.summary as SimilarRunsSummary;
  };
}

function runInChild(name: string, args: string[], opts: RunOptions, log: Logger, graceMs: number): Promise<JobOutcome<unknown> | undefined> {
  return new Promise((resolve, reject) => {
    // The same environment, working directory and Node options as this process.
    const child = fork(CHILD_MAIN, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const pid = child.pid;
    if (pid !== undefined) {
      try {
        setPriority(pid, JOB_PROCESS_PRIORITY);
      } catch (err) {
        log.warn({ err, job: name, childPid: pid }, 'could not lower the job process priority');
      }
    }
    log.info({ job: name, childPid: pid }, `${name} job started in a child process`);
    let outcome: { value: JobOutcome<unknown> | undefined } | undefined;
    let failure: string | undefined;
    let stopping = false;
    let kill: NodeJS.Timeout | undefined;
    const stop = () => {
      stopping = true;
      child.kill('SIGTERM');
      kill = setTimeout(() => {
        log.warn({ job: name, childPid: pid }, `${name} job process did not stop within ${graceMs} ms: killed`);
        child.kill('SIGKILL');
      }, graceMs);
    };
    opts.signal?.addEventListener('abort', stop, { once: true });
    child.on('message', (message: unknown) => {
      if (!isJobChildMessage(message)) return;
      if (message.type === 'progress') opts.onProgress?.(message.message);
      else if (message.type === 'outcome') outcome = { value: message.outcome ?? undefined };
      else failure = message.message;
    });
    let settled = false;
    const settle = (err: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(kill);
      opts.signal?.removeEventListener('abort', stop);
      if (err) reject(err);
      else resolve(outcome?.value);
    };
    child.once('error', (err) => {
      // The process could not be started (or signalled); 'exit' may never come.
      if (child.exitCode === null && child.signalCode === null && pid === undefined) settle(err);
    });
    child.once('exit', (code, signal) => {
      if (outcome) settle(undefined);
      else if (stopping) settle(new JobStoppedError());
      else settle(new Error(`${name} job process failed: ${failure ?? (signal ? `killed by ${signal}` : `exit code ${code}`)}`));
    });
  });
}
