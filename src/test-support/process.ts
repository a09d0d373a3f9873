import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './server-process.js';
import { until } from './until.js';

// One build step for every process test: it skips the compile when dist is current, so two test
// files never rewrite dist while the other one starts a process from it.
export { buildDist, REPO_ROOT } from './server-process.js';

/** A running `ticketmoa <command>` process, as an operator would start it. */
export interface TicketmoaProcess {
  proc: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** Waits for a line of output matching `pattern` and returns the match. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

export function startTicketmoa(args: string[], env: Record<string, string>): TicketmoaProcess {
  const proc = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/ticketmoa.js'), ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return {
    proc,
    output: () => out,
    exited,
    async waitFor(pattern, timeoutMs = 30_000) {
      let match: RegExpMatchArray | null = null;
      await until(
        `output matches ${pattern} (output so far: ${out.slice(-500)})`,
        () => (match = out.match(pattern)) !== null || proc.exitCode !== null,
        timeoutMs,
      );
      if (!match) throw new Error(`process exited (${proc.exitCode}) before ${pattern}: ${out.slice(-2000)}`);
      return match;
    },
  };
}
