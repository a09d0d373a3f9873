/**
 * `npm run bench:stalls`: how much one kind of request holds the API's event loop, on a large
 * catalogue with the settings compose uses (no build in the API, no sink in it). For each scenario
 * a few clients repeat one request for a while, and a probe asks `/healthz` every 50 ms: the
 * probe's worst and 99th-percentile latency show the stall everyone else sees, next to the
 * scenario's own throughput, latency and bytes on the wire.
 *
 *   node dist/bench/stalls.js [--runs 50000] [--seconds 10] [--bin <path to bin/ticketmoa.js>]
 *
 * `--bin` measures another checkout (an older commit, say) on the same catalogue.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openSqlite } from '../db/sqlite/connection.js';
import { freePort, startServer } from './harness.js';

const NOW = '2026-11-27T10:00:00+09:00';
const PROBE_MS = 50;

interface Scenario {
  name: string;
  clients: number;
  /** The path of the client's n-th request. */
  path(n: number): string;
  headers?: Record<string, string>;
}

interface Measured {
  scenario: string;
  requests: number;
  p50: number;
  p99: number;
  bytes: number;
  probeP99: number;
  probeWorst: number;
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function measure(base: string, scenario: Scenario, seconds: number): Promise<Measured> {
  const until = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  const probes: number[] = [];
  let bytes = 0;
  let failed = 0;
  const client = async (c: number) => {
    for (let n = c; performance.now() < until; n += scenario.clients) {
      const began = performance.now();
      const res = await fetch(base + scenario.path(n), { headers: scenario.headers, decompress: false } as RequestInit);
      const body = Buffer.from(await res.arrayBuffer());
      latencies.push(performance.now() - began);
      bytes = Number(res.headers.get('content-length') ?? body.length);
      if (res.status !== 200) failed += 1;
    }
  };
  const probe = async () => {
    while (performance.now() < until) {
      const began = performance.now();
      await (await fetch(`${base}/healthz`)).arrayBuffer();
      probes.push(performance.now() - began);
      await new Promise((resolve) => setTimeout(resolve, PROBE_MS));
    }
  };
  await Promise.all([probe(), ...Array.from({ length: scenario.clients }, (_, c) => client(c))]);
  if (failed > 0) throw new Error(`${scenario.name}: ${failed} requests did not answer 200`);
  return {
    scenario: scenario.name,
    requests: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    bytes,
    probeP99: percentile(probes, 99),
    probeWorst: Math.max(...probes),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { runs: { type: 'string', default: '50000' }, seconds: { type: 'string', default: '10' }, bin: { type: 'string' } },
  });
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const bin = values.bin ? path.resolve(values.bin) : path.join(root, 'bin/ticketmoa.js');
  const seconds = Number(values.seconds);
  const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-stalls-'));
  const env = { TICKETMOA_DATA_DIR: dir, TICKETMOA_NOW: NOW, TICKETMOA_DEMO: '0', LOG_LEVEL: 'warn' };
  try {
    process.stdout.write(`seeding ${values.runs} runs and building their lists…\n`);
    execFileSync(process.execPath, [bin, 'seed', '--count', values.runs, '--seed', '42'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    execFileSync(process.execPath, [bin, 'recommend'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    // Runs added since the last build: their lists are removed (ids spread over the catalogue).
    const db = openSqlite(path.join(dir, 'ticketmoa.db'));
    const ids = db.prepare('SELECT id FROM performances ORDER BY id').pluck().all() as string[];
    const unbuilt = ids.filter((_, i) => i % 97 === 0);
    const drop = db.prepare('DELETE FROM recommendations WHERE performance_id = ?');
    db.transaction(() => unbuilt.forEach((id) => drop.run(id)))();
    db.close();

    const port = await freePort();
    const server = await startServer([bin, 'serve'], {
      port,
      readyPath: '/readyz',
      env: {
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
        RECOMMEND_INTERVAL: 'off',
        POPULAR_INTERVAL: 'off',
        COMPACT_INTERVAL: 'off',
        TICKETMOA_SINK: 'off',
      },
    });
    const browser = { 'accept-encoding': 'gzip, deflate, br, zstd' };
    const scenarios: Scenario[] = [
      { name: '/recommendation, runs without lists', clients: 3, path: (n) => `/recommendation/${unbuilt[n % unbuilt.length]}` },
      { name: '/search, no filter, raw', clients: 3, path: () => '/search' },
      { name: '/search, no filter, browser headers', clients: 3, path: () => '/search', headers: browser },
      { name: '/this_weekend, per_category rotating', clients: 3, path: (n) => `/this_weekend?per_category=${1 + (n % 20)}`, headers: browser },
      { name: '/this_weekend, default', clients: 3, path: () => '/this_weekend', headers: browser },
    ];
    const results: Measured[] = [];
    try {
      for (const scenario of scenarios) {
        results.push(await measure(`http://127.0.0.1:${port}`, scenario, seconds));
        process.stdout.write(`${JSON.stringify(results.at(-1))}\n`);
      }
    } finally {
      await server.stop();
    }
    const ms = (x: number) => x.toFixed(1).padStart(8);
    process.stdout.write(`\n${'scenario'.padEnd(42)} requests   p50 ms   p99 ms      bytes  /healthz p99  worst\n`);
    for (const r of results) {
      process.stdout.write(
        `${r.scenario.padEnd(42)} ${String(r.requests).padStart(8)} ${ms(r.p50)} ${ms(r.p99)} ${String(r.bytes).padStart(10)} ${ms(r.probeP99)}    ${ms(r.probeWorst)}\n`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
