import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface LoadResult {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface Server {
  child: ChildProcess;
  port: number;
  rssMb(): { rss: number; peak: number };
  stop(): Promise<void>;
}

function readStatusKb(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) : 0;
}

/** Starts a child process and waits until `ready` answers 200. */
export async function startServer(
  args: string[],
  opts: { port: number; env?: NodeJS.ProcessEnv; readyPath: string; timeoutMs?: number },
): Promise<Server> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`http://127.0.0.1:${opts.port}${opts.readyPath}`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become ready: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid!;
  return {
    child,
    port: opts.port,
    rssMb: () => ({ rss: readStatusKb(pid, 'VmRSS') / 1024, peak: readStatusKb(pid, 'VmHWM') / 1024 }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/** `2.35ms`, `812.00us`, `1.02s` → milliseconds. */
function wrkMs(value: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(value);
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n;
}

/**
 * Loads one URL (or a rotation of paths) with Debian's `wrk` (two threads): a generator that
 * reaches a bare node:http server's real ceiling on two cores, where autocannon saturates first
 * and inflates every ratio.
 */
export async function load(
  name: string,
  port: number,
  paths: string[],
  opts: { connections: number; durationSec: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-wrk-'));
  const script = path.join(dir, 'paths.lua');
  const headers = Object.entries(opts.headers ?? {})
    .map(([k, v]) => `[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
    .join(', ');
  writeFileSync(
    script,
    `local paths = {${paths.map((p) => JSON.stringify(p)).join(',')}}\nlocal headers = {${headers}}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format("GET", paths[(i % #paths) + 1], headers)\nend\n`,
  );
  try {
    const { stdout } = await execFileAsync(
      'wrk',
      ['-t2', `-c${opts.connections}`, `-d${opts.durationSec}s`, '--latency', '-s', script, `http://127.0.0.1:${port}`],
      { maxBuffer: 1 << 20 },
    ).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw new Error('the benchmark needs wrk (apt-get install -y wrk)');
      throw err;
    });
    const num = (re: RegExp) => Number(re.exec(stdout)?.[1] ?? 0);
    const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
    return {
      name,
      rps: num(/Requests\/sec:\s+([\d.]+)/),
      p50: wrkMs(/^\s+50%\s+(\S+)/m.exec(stdout)?.[1] ?? ''),
      p99: wrkMs(/^\s+99%\s+(\S+)/m.exec(stdout)?.[1] ?? ''),
      errors: socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
      non2xx: num(/Non-2xx or 3xx responses:\s+(\d+)/),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
