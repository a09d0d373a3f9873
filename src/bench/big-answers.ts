import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { freePort, load, startServer } from './harness.js';

/**
 * `npm run bench:big`: the large answers on a generated catalogue (ADR 11). Bytes on
 * the wire for each Accept-Encoding a client sends, the time of repeated requests, how long they
 * hold the event loop (a `/healthz` probe on its own connection and the process's loop-lag
 * metric), `/this_weekend` with rotating sizes, and wrk with a browser's header.
 * Knobs: BENCH_RUNS (50000), BENCH_BIN (this build's bin/ticketmoa.js: point it at another
 * checkout's to compare builds), BENCH_DATA_DIR (a data dir already seeded: reused, not deleted),
 * BENCH_DURATION seconds per wrk load (6), BENCH_CONNECTIONS (8).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.BENCH_BIN ?? path.join(root, 'bin/ticketmoa.js');
const runs = Number(process.env.BENCH_RUNS ?? 50_000);
const durationSec = Number(process.env.BENCH_DURATION ?? 6);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const now = process.env.BENCH_NOW ?? '2026-11-27T12:00:00+09:00';

/** What Chromium sends over plain HTTP, and over HTTPS (where it also offers brotli and zstd). */
const BROWSER_HTTP = 'gzip, deflate';
const BROWSER_HTTPS = 'gzip, deflate, br, zstd';
const ENCODINGS: [string, string | undefined][] = [
  ['none', undefined],
  ['browser, http', BROWSER_HTTP],
  ['browser, https', BROWSER_HTTPS],
];

interface Answer {
  status: number;
  encoding: string;
  bytes: number;
  body: Buffer;
  ms: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(port: number, urlPath: string, acceptEncoding?: string, via = agent): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: urlPath, agent: via, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const encoding = String(res.headers['content-encoding'] ?? 'identity');
          resolve({ status: res.statusCode ?? 0, encoding, bytes: body.length, body, ms: performance.now() - started });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

const decoded = (a: Answer): Buffer =>
  a.encoding === 'gzip'
    ? gunzipSync(a.body)
    : a.encoding === 'br'
      ? brotliDecompressSync(a.body)
      : a.encoding === 'identity'
        ? a.body
        : Buffer.alloc(0);

function stats(values: number[]): { n: number; p50: number; p99: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { n: sorted.length, p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1] ?? 0) };
}
const round = (n: number) => Math.round(n * 10) / 10;
const kb = (n: number) => `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;

/** The process's longest event-loop delay since the previous scrape (prom-client resets it on collect). */
async function loopLagMaxMs(port: number): Promise<number> {
  const text = (await get(port, '/metrics', undefined, probeAgent)).body.toString();
  const m = /^nodejs_eventloop_lag_max_seconds (\S+)/m.exec(text);
  return m ? round(Number(m[1]) * 1000) : Number.NaN;
}

/**
 * Runs `work` while a probe asks `/healthz` every 5 ms on a connection of its own: the probe's
 * latency is how long a small request waits behind the work.
 */
async function probed<T>(port: number, work: () => Promise<T>): Promise<{ result: T; healthz: ReturnType<typeof stats>; lagMaxMs: number }> {
  await loopLagMaxMs(port);
  let done = false;
  const latencies: number[] = [];
  const probe = (async () => {
    while (!done) {
      latencies.push((await get(port, '/healthz', undefined, probeAgent)).ms);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const result = await work();
  done = true;
  await probe;
  return { result, healthz: stats(latencies), lagMaxMs: await loopLagMaxMs(port) };
}

async function main(): Promise<void> {
  const reuse = process.env.BENCH_DATA_DIR;
  const dataDir = reuse ?? mkdtempSync(path.join(tmpdir(), 'ticketmoa-bench-big-'));
  const env = {
    TICKETMOA_DATA_DIR: dataDir,
    TICKETMOA_NOW: now,
    TICKETMOA_DEMO: '0',
    TICKETMOA_SINK: 'off',
    POPULAR_INTERVAL: 'off',
    RECOMMEND_INTERVAL: 'off',
    COMPACT_INTERVAL: 'off',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    JWT_SECRET: process.env.JWT_SECRET ?? 'bench-only-secret-bench-only-secret-0123456789',
  };
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    if (!reuse || !existsSync(path.join(dataDir, 'ticketmoa.db'))) {
      out(`seeding ${runs} runs…`);
      execFileSync(process.execPath, [bin, 'seed', '--count', String(runs), '--seed', '42'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    }
    const port = await freePort();
    const api = await startServer([bin, 'serve'], { port, env: { ...env, PORT: String(port), HOST: '127.0.0.1' }, readyPath: '/healthz' });
    try {
      out(`server ${bin}, ${runs} runs`);

      // 1. The first unfiltered search of the day, three at once, against a fresh process.
      const first = await probed(port, () => Promise.all([1, 2, 3].map(() => get(port, '/search', BROWSER_HTTP))));
      out(`\nfirst unfiltered /search, 3 at once (gzip accepted): ${first.result.map((a) => `${round(a.ms)} ms`).join(', ')}`);
      out(`  /healthz meanwhile: p50 ${first.healthz.p50}, p99 ${first.healthz.p99}, max ${first.healthz.max} ms; loop lag max ${first.lagMaxMs} ms`);

      // 2. Bytes on the wire, per endpoint and Accept-Encoding (each body checked against the plain one).
      out('\n| answer | Accept-Encoding | Content-Encoding | bytes | ms |\n|---|---|---|---:|---:|');
      for (const p of ['/search', '/this_weekend', '/this_weekend?per_category=1000', '/exclusive/all', '/exclusive/main', '/banner']) {
        const plain = await get(port, p);
        for (const [name, ae] of ENCODINGS) {
          const a = await get(port, p, ae);
          if (!decoded(a).equals(plain.body)) throw new Error(`${p} with ${name}: the decoded body differs from the plain one`);
          out(`| ${p} | ${name} | ${a.encoding} | ${a.bytes} (${kb(a.bytes)}) | ${round(a.ms)} |`);
        }
      }

      // 3. Repeated unfiltered searches, one at a time, then three at once with the probe.
      for (const [name, ae] of ENCODINGS) {
        const times: number[] = [];
        for (let i = 0; i < 30; i += 1) times.push((await get(port, '/search', ae)).ms);
        const s = stats(times);
        out(`\nunfiltered /search ×30 one at a time, ${name}: p50 ${s.p50}, p99 ${s.p99}, max ${s.max} ms`);
        const three = await probed(port, async () => {
          for (let i = 0; i < 10; i += 1) await Promise.all([1, 2, 3].map(() => get(port, '/search', ae)));
        });
        out(
          `  3 at once ×10 rounds: /healthz p50 ${three.healthz.p50}, p99 ${three.healthz.p99}, max ${three.healthz.max} ms; loop lag max ${three.lagMaxMs} ms`,
        );
      }

      // 4. /this_weekend with the size rotating over 20 values, against the default size.
      for (const [name, paths] of [
        ['default size', ['/this_weekend']],
        ['per_category rotating 1..20', Array.from({ length: 20 }, (_, i) => `/this_weekend?per_category=${i + 1}`)],
      ] as const) {
        for (const p of paths) await get(port, p, BROWSER_HTTP);
        const times: number[] = [];
        const run = await probed(port, async () => {
          for (let i = 0; i < 200; i += 1) times.push((await get(port, paths[i % paths.length]!, BROWSER_HTTP)).ms);
        });
        const s = stats(times);
        out(
          `\n/this_weekend ${name} ×200 (gzip accepted): p50 ${s.p50}, p99 ${s.p99}, max ${s.max} ms; /healthz max ${run.healthz.max} ms, loop lag max ${run.lagMaxMs} ms`,
        );
      }

      // 5. Load with wrk, sending a browser's Accept-Encoding.
      out(`\nwrk, ${connections} connections, ${durationSec} s, Accept-Encoding: ${BROWSER_HTTP}`);
      out('| load | req/s | p50 ms | p99 ms | errors | meanwhile |\n|---|---:|---:|---:|---:|---|');
      const opts = { connections, durationSec, headers: { 'Accept-Encoding': BROWSER_HTTP } };
      const weekendSizes = Array.from({ length: 20 }, (_, i) => `/this_weekend?per_category=${i + 1}`);
      for (const [name, paths, c] of [
        ['unfiltered /search', ['/search'], Math.min(connections, 4)],
        ['/this_weekend', ['/this_weekend'], connections],
        ['/this_weekend per_category 1..20', weekendSizes, connections],
        ['/banner', ['/banner'], connections],
      ] as const) {
        const r = await probed(port, () => load(name, port, [...paths], { ...opts, connections: c }));
        out(
          `| ${name} (${c} conn.) | ${Math.round(r.result.rps)} | ${r.result.p50} | ${r.result.p99} | ${r.result.errors + r.result.non2xx} | /healthz p99 ${r.healthz.p99} max ${r.healthz.max} ms, loop lag max ${r.lagMaxMs} ms`,
        );
      }
      const mem = api.rssMb();
      out(`\nserver RSS ${Math.round(mem.rss)} MB, peak ${Math.round(mem.peak)} MB`);
    } finally {
      agent.destroy();
      probeAgent.destroy();
      await api.stop();
    }
  } finally {
    if (!reuse) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
