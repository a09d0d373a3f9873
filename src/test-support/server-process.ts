import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { type Dirent, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../bench/harness.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(REPO_ROOT, 'bin/ticketmoa.js');

/**
 * Compiles `src` to `dist` (what `npm run build` does) so `bin/ticketmoa.js` runs the code under
 * test; skipped when `dist` is newer than every source file (`npm test` has just built it).
 */
export function buildDist(): void {
  if (distIsCurrent()) return;
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
}

function distIsCurrent(): boolean {
  let built: number;
  try {
    built = statSync(path.join(REPO_ROOT, 'dist/main.js')).mtimeMs;
  } catch {
    return false;
  }
  // What tsconfig.build.json compiles: everything but tests and test support.
  const compiled = (f: Dirent) =>
    f.isFile() && f.name.endsWith('.ts') && !f.name.endsWith('.test.ts') && !f.parentPath.includes(`${path.sep}test-support`);
  const sources = readdirSync(path.join(REPO_ROOT, 'src'), { recursive: true, withFileTypes: true }).filter(compiled);
  return sources.every((f) => statSync(path.join(f.parentPath, f.name)).mtimeMs < built);
}

export { freePort };

/**
 * The environment a child sees: only what the test gives (plus PATH), never the test runner's own
 * DATABASE_URL or secrets. The working directory is a scratch dir so no `.env` is picked up.
 */
function childEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...env };
}

/** A `ticketmoa serve` process answering on `url`. */
export interface ServerProcess {
  url: string;
  /** Everything the process wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within a few seconds. Safe to call twice. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
// Should the test worker itself die, no server outlives it.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

type Attempt = { ready: true; server: ServerProcess } | { ready: false; url: string; output: string };

async function startOnce(env: Record<string, string>, timeoutMs: number): Promise<Attempt> {
  const port = await freePort();
  const scratch = mkdtempSync(path.join(tmpdir(), 'ticketmoa-proc-'));
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: scratch,
    env: childEnv({ TICKETMOA_DATA_DIR: scratch, HOST: '127.0.0.1', ...env, PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child);
    rmSync(scratch, { recursive: true, force: true });
  };
  const deadline = performance.now() + timeoutMs;
  while (child.exitCode === null && performance.now() < deadline) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { ready: true, server: { url, output: () => out, stop } };
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  await stop();
  return { ready: false, url, output: out };
}

/**
 * Starts `node bin/ticketmoa.js serve` on a free port of 127.0.0.1 and resolves once `/healthz`
 * answers. `dist` must be built (see buildDist). Each process gets its own scratch data dir,
 * removed by `stop()`. Throws, with the process output, when it exits or does not become ready.
 */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    const started = await startOnce(env, timeoutMs);
    if (started.ready) return started.server;
    // Another process may take the free port between the probe and the child's listen.
    if (!started.output.includes('EADDRINUSE') || attempt === 3) {
      throw new Error(`ticketmoa serve did not become ready on ${started.url}:\n${started.output.slice(-4000)}`);
    }
  }
}

/** Runs one `ticketmoa <args>` command to completion, as an operator would from a shell. */
export function runTicketmoa(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'ticketmoa-cmd-'));
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: scratch, env: childEnv({ TICKETMOA_DATA_DIR: scratch, ...env }) }, (err, stdout, stderr) => {
      rmSync(scratch, { recursive: true, force: true });
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
