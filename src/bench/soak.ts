import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { freePort, startServer } from './harness.js';

/**
 * `npm run soak`: `ticketmoa serve` (embedded sink, demo catalogue) under a mixed load at a fixed
 * rate for SOAK_MINUTES: catalogue reads, searches, signups, logins and refreshes. Every minute it
 * prints the requests, errors, 5xx, p50/p99 and the server's RSS; at the end it stops the server
 * with SIGINT (as Ctrl-C does) and counts, with DuckDB, that every acknowledged search, view,
 * signup and login is in the lake exactly once.
 * Knobs: SOAK_MINUTES (10), SOAK_RATE requests/s (100), SOAK_MAX_IN_FLIGHT (256).
 * Exit code 1 on any 5xx, network error, lost event or growing memory.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/ticketmoa.js');
const minutes = Number(process.env.SOAK_MINUTES ?? 10);
const rate = Number(process.env.SOAK_RATE ?? 100);
const maxInFlight = Number(process.env.SOAK_MAX_IN_FLIGHT ?? 256);
const PASSWORD = 'c29hay1wYXNzd29yZC1zb2FrLXBhc3N3b3JkLXNvYWstcGFzc3dvcmQ';
const KEYWORDS = [
  '피아노',
  '재즈',
  '발레',
  '오케스트라',
  '뮤지컬',
  '연극',
  '사랑',
  '서울',
  '콘서트',
  '전시',
  '가',
  'ㅍ',
  '%',
  '_',
  'a',
  '없는검색어',
];

type Kind = 'banner' | 'weekend' | 'detail' | 'exclusive' | 'popular' | 'recommendation' | 'search' | 'signup' | 'login' | 'refresh';
const MIX: [Kind, number][] = [
  ['banner', 10],
  ['weekend', 8],
  ['detail', 25],
  ['exclusive', 5],
  ['popular', 5],
  ['recommendation', 7],
  ['search', 25],
  ['signup', 3],
  ['login', 6],
  ['refresh', 6],
];
const TOTAL_WEIGHT = MIX.reduce((s, [, w]) => s + w, 0);

interface User {
  id: string;
  refresh?: string;
  busy: boolean;
}

interface Minute {
  requests: number;
  ok: number;
  client4xx: number;
  server5xx: number;
  network: number;
  shed: number;
  latencies: number[];
  rssMb: number;
}

const newMinute = (): Minute => ({ requests: 0, ok: 0, client4xx: 0, server5xx: 0, network: 0, shed: 0, latencies: [], rssMb: 0 });
const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const tokenOf = (text: string): string | undefined => {
  try {
    return (JSON.parse(text) as { refresh_token?: string }).refresh_token;
  } catch {
    return undefined;
  }
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-soak-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer([bin, 'serve'], {
    port,
    readyPath: '/healthz',
    env: {
      TICKETMOA_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      JWT_SECRET: process.env.JWT_SECRET ?? 'soak-only-secret-soak-only-secret-0123456789ab',
      // every request comes from this one address: its per-client limits would refuse the mix
      AUTH_BURST_LIMIT: '100000',
      // files every few seconds, as a busy service writes them
      LOG_FLUSH_MAX_EVENTS: '500',
    },
  });
  const pid = server.child.pid!;
  const acknowledged = { Search_log: 0, View_detail_log: 0, signup: 0, login: 0 };
  const users: User[] = [];
  let inFlight = 0;
  let minute = newMinute();
  const minutesDone: Minute[] = [];

  const call = async (url: string, init?: RequestInit): Promise<{ status: number; text: string } | undefined> => {
    const began = performance.now();
    minute.requests += 1;
    try {
      const answer = await fetch(`${base}${url}`, init);
      const res = { status: answer.status, text: await answer.text() };
      minute.latencies.push(performance.now() - began);
      if (res.status >= 500) {
        minute.server5xx += 1;
        process.stdout.write(`  5xx: ${init?.method ?? 'GET'} ${url} → ${res.status}\n`);
      } else if (res.status >= 400) minute.client4xx += 1;
      else minute.ok += 1;
      return res;
    } catch (err) {
      minute.network += 1;
      if (minute.network <= 3) process.stdout.write(`  network error: ${url}: ${String(err)}\n`);
      return undefined;
    }
  };
  const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  const all = (await (await fetch(`${base}/search`)).json()) as { id: string }[];
  acknowledged.Search_log += 1;
  const ids = all.map((r) => r.id);
  if (ids.length === 0) throw new Error('the demo catalogue is empty');
  let nextUser = 0;

  const actions: Record<Kind, () => Promise<void>> = {
    banner: async () => void (await call('/banner')),
    weekend: async () => void (await call('/this_weekend')),
    exclusive: async () => void (await call('/exclusive/main')),
    popular: async () => void (await call('/popular')),
    recommendation: async () => void (await call(`/recommendation/${pick(ids)}`)),
    detail: async () => {
      const res = await call(`/detail/${pick(ids)}`);
      if (res?.status === 200) acknowledged.View_detail_log += 1;
    },
    search: async () => {
      const res = await call(
        `/search?keyword=${encodeURIComponent(pick(KEYWORDS))}${Math.random() < 0.3 ? `&region=${encodeURIComponent('서울')}` : ''}`,
      );
      if (res?.status === 200) acknowledged.Search_log += 1;
    },
    signup: async () => {
      const id = `soak${process.pid % 1000}u${nextUser++}`;
      const res = await call(
        '/signup/signup',
        json({ username: '소크', id, pw: PASSWORD, email: '', phoneNumber: '', gender: 'F', birthday: '1990-01-01', agreeMarketing: 'false' }),
      );
      if (res?.status === 200) {
        acknowledged.signup += 1;
        users.push({ id, busy: false });
      }
    },
    login: async () => {
      const user = users.find((u) => !u.busy && Math.random() < 0.5) ?? users.find((u) => !u.busy);
      if (!user) return actions.banner();
      user.busy = true;
      const res = await call('/auth/login', json({ id: user.id, password: PASSWORD }));
      if (res?.status === 200) {
        acknowledged.login += 1;
        user.refresh = tokenOf(res.text);
      }
      user.busy = false;
    },
    refresh: async () => {
      const user = users.find((u) => !u.busy && u.refresh !== undefined);
      if (!user) return actions.banner();
      user.busy = true;
      const res = await call('/auth/refresh', json({ refresh_token: user.refresh }));
      if (res?.status === 200) user.refresh = tokenOf(res.text);
      user.busy = false;
    },
  };
  const byKind = new Map<Kind, number[]>();
  const timed = (kind: Kind) => {
    const began = performance.now();
    return actions[kind]().finally(() => {
      const list = byKind.get(kind) ?? [];
      list.push(performance.now() - began);
      byKind.set(kind, list);
    });
  };
  const nextKind = (): Kind => {
    let r = Math.random() * TOTAL_WEIGHT;
    for (const [kind, w] of MIX) if ((r -= w) < 0) return kind;
    return 'banner';
  };

  process.stdout.write(`soak: ${minutes} min at ${rate} req/s against serve (pid ${pid}, demo catalogue of ${ids.length} runs)\n`);
  process.stdout.write(
    '| minute | requests | ok | 4xx | 5xx | network errors | shed | p50 ms | p99 ms | RSS MB |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n',
  );
  const started = performance.now();
  const closeMinute = (m: Minute): void => {
    m.rssMb = server.rssMb().rss;
    minutesDone.push(m);
    process.stdout.write(
      `| ${minutesDone.length} | ${m.requests} | ${m.ok} | ${m.client4xx} | ${m.server5xx} | ${m.network} | ${m.shed} | ` +
        `${percentile(m.latencies, 50).toFixed(1)} | ${percentile(m.latencies, 99).toFixed(1)} | ${m.rssMb.toFixed(0)} |\n`,
    );
  };
  const tickMs = 20;
  let sent = 0;
  const pending = new Set<Promise<void>>();
  while (performance.now() - started < minutes * 60_000) {
    const elapsed = performance.now() - started;
    const due = Math.floor((elapsed / 1000) * rate);
    for (; sent < due; sent += 1) {
      if (inFlight >= maxInFlight) {
        minute.shed += 1;
        continue;
      }
      inFlight += 1;
      const p = timed(nextKind()).finally(() => {
        inFlight -= 1;
        pending.delete(p);
      });
      pending.add(p);
    }
    if (elapsed >= (minutesDone.length + 1) * 60_000) {
      closeMinute(minute);
      minute = newMinute();
    }
    await new Promise((resolve) => setTimeout(resolve, tickMs));
  }
  await Promise.all(pending);
  if (minute.requests > 0) closeMinute(minute);

  // Ctrl-C: the graceful stop drains the outbox into the embedded sink, which writes its files.
  const stopped = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
  server.child.kill('SIGINT');
  const exitCode = await stopped;

  const lake = path.join(dataDir, 'lake', 'logs');
  const counted = await countLake(lake);
  const sum = (f: (m: Minute) => number) => minutesDone.reduce((s, m) => s + f(m), 0);
  const all5xx = sum((m) => m.server5xx);
  const network = sum((m) => m.network);
  const latencies = minutesDone.flatMap((m) => m.latencies);
  const rssAfterWarmUp = minutesDone[Math.min(1, minutesDone.length - 1)]!.rssMb;
  const rssAtEnd = minutesDone.at(-1)!.rssMb;
  const rssMax = Math.max(...minutesDone.map((m) => m.rssMb));
  const memoryStable = rssAtEnd <= rssAfterWarmUp * 1.25 + 20;
  const lakeRows: [string, number, number][] = [
    ['Search_log (every answered search)', acknowledged.Search_log, counted.Search_log],
    ['View_detail_log (every answered /detail)', acknowledged.View_detail_log, counted.View_detail_log],
    ['Signup_log, signup successes', acknowledged.signup, counted.signup],
    ['Login_log, login successes', acknowledged.login, counted.login],
  ];
  const lakeOk = lakeRows.every(([, acked, inLake]) => acked === inLake) && counted.duplicates === 0;
  const lines = [
    '',
    `total: ${sum((m) => m.requests)} requests, ${sum((m) => m.ok)} ok, ${sum((m) => m.client4xx)} 4xx, ${all5xx} 5xx, ${network} network errors, ` +
      `${sum((m) => m.shed)} shed; p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
    `RSS: ${rssAfterWarmUp.toFixed(0)} MB after minute ${Math.min(2, minutesDone.length)}, ${rssAtEnd.toFixed(0)} MB at the end, ` +
      `${rssMax.toFixed(0)} MB at most (stable: ${memoryStable ? 'yes' : 'NO'})`,
    `p99 by kind (ms): ${[...byKind].map(([kind, l]) => `${kind} ${percentile(l, 99).toFixed(1)}`).join(', ')}`,
    `serve stopped with SIGINT: exit code ${exitCode}`,
    '',
    '| events | acknowledged | in the lake (distinct event_id) | ok |',
    '|---|---:|---:|---|',
    ...lakeRows.map(([name, acked, inLake]) => `| ${name} | ${acked} | ${inLake} | ${acked === inLake ? 'yes' : 'NO'} |`),
    `duplicate event_ids in the lake: ${counted.duplicates}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  mkdirSync(path.join(root, 'bench-results'), { recursive: true });
  writeFileSync(
    path.join(root, 'bench-results', 'soak.json'),
    JSON.stringify(
      { minutes, rate, perMinute: minutesDone.map(({ latencies: l, ...m }) => ({ ...m, p99: percentile(l, 99) })), acknowledged, counted },
      null,
      2,
    ),
  );
  rmSync(dataDir, { recursive: true, force: true });
  const pass = all5xx === 0 && network === 0 && lakeOk && memoryStable && exitCode === 0;
  process.stdout.write(pass ? 'soak: PASS\n' : 'soak: FAIL\n');
  process.exit(pass ? 0 : 1);
}

/** Distinct events per topic in the lake, read by DuckDB (an engine that is not our writer). */
async function countLake(lake: string): Promise<{ Search_log: number; View_detail_log: number; signup: number; login: number; duplicates: number }> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const files = (topic: string) => path.join(lake, topic, '*.parquet').replaceAll("'", "''");
  const scalar = async (sql: string): Promise<number> => Number((await db.runAndReadAll(sql)).getRows()[0]![0]);
  const count = async (topic: string, where = 'true') =>
    existsSync(path.join(lake, topic)) ? scalar(`SELECT count(DISTINCT event_id) FROM read_parquet('${files(topic)}') WHERE ${where}`) : 0;
  const dup = async (topic: string) =>
    existsSync(path.join(lake, topic)) ? scalar(`SELECT count(*) - count(DISTINCT event_id) FROM read_parquet('${files(topic)}')`) : 0;
  const result = {
    Search_log: await count('Search_log'),
    View_detail_log: await count('View_detail_log'),
    signup: await count('Signup_log', "action = 'signup' AND status = 'success'"),
    login: await count('Login_log', "status = 'success'"),
    duplicates: (await dup('Search_log')) + (await dup('View_detail_log')) + (await dup('Signup_log')) + (await dup('Login_log')),
  };
  db.closeSync();
  return result;
}

main().catch((err) => {
  process.stderr.write(`soak failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
