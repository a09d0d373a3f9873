import { performance } from 'node:perf_hooks';
import { kopisWarning } from '../config/config.js';
import { JobStoppedError } from '../features/jobs/index.js';
import { KopisBudgetExhaustedError, provinceCodesOf, REGIONS, type KopisSyncSummary, type SyncProgress } from '../features/kopis/index.js';
import { addDays, dashedToDotted, isDottedDate, kstDate } from '../platform/kst.js';
import type { Command, CommandContext } from './command.js';
import type { CommandIo } from './import.js';
import { configFromEnvironment, openContainer } from './runtime.js';
import { counted } from '../platform/plural.js';

/** Exit code of a sync stopped by the daily call budget (EX_TEMPFAIL): run it again to resume. */
export const EXIT_BUDGET = 75;

const USAGE = `usage: ticketmoa kopis sync [--from D] [--to D] [--region R]… [--dry-run] [--full]
       ticketmoa kopis boxoffice [--from D] [--to D] [--size N]

sync       Loads runs from KOPIS (the national performing-arts database) into the catalogue:
           runs playing between --from (default today) and --to (default KOPIS_SYNC_DAYS later),
           in every province or those of --region (서울, 수도권, 경상, 전라, 강원, 충청, 제주, or a
           two-digit KOPIS province code; repeat it or separate with commas). After a first
           sync, later ones ask KOPIS only for what changed since (afterdate); --full lists
           everything again. --dry-run lists only and says what a sync would fetch (list calls
           still count against the day's budget). A sync that was stopped (killed, or out of
           the daily call budget: exit code ${EXIT_BUDGET}) resumes where it stopped.
boxoffice  Prints KOPIS's box office ranking for the period (default the last 7 days up to
           yesterday) next to our most-viewed runs (GET /popular's trending window closest to it).

Needs KOPIS_SERVICE_KEY. Dates: YYYY.MM.DD, YYYY-MM-DD or YYYYMMDD.`;

function dateOf(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const v = /^\d{8}$/.test(value) ? `${value.slice(0, 4)}.${value.slice(4, 6)}.${value.slice(6)}` : value;
  const dotted = isDottedDate(v) ? v : dashedToDotted(v);
  if (dotted === undefined) throw new UsageError(`--${name} must be a date such as 2026.12.01 (got "${value}")`);
  return dotted;
}

class UsageError extends Error {}

function provincesOf(values: string[]): string[] {
  const codes = new Set<string>();
  for (const value of values.flatMap((v) => v.split(',')).map((v) => v.trim())) {
    if (value === '') continue;
    const found = provinceCodesOf(value);
    if (!found) throw new UsageError(`--region must be one of ${REGIONS.join(', ')} or a two-digit province code (got "${value}")`);
    found.forEach((c) => codes.add(c));
  }
  return [...codes];
}

const n = (v: number) => v.toLocaleString('en-US');

/** A progress bar on a terminal; on anything else a plain line per page (and per 100 details). */
function progressView(io: CommandIo, tty: boolean) {
  let lastKey = '';
  let lastDetails = 0;
  let drawn = false;
  const figures = (p: SyncProgress) => {
    const c = p.counts;
    return `fetched ${n(c.fetched)} · details ${n(c.details)} · inserted ${n(c.inserted)} · updated ${n(c.updated)} · merged ${n(c.merged)} · skipped ${n(c.skipped)} · errors ${n(c.errors)} · ${counted(p.calls, 'call', undefined, n)}`;
  };
  return {
    update(p: SyncProgress) {
      if (tty) {
        const width = 20;
        const done = Math.round((Math.min(p.step, p.steps) / Math.max(1, p.steps)) * width);
        io.stdout.write(`\r\x1b[2K[${'#'.repeat(done)}${'.'.repeat(width - done)}] step ${Math.min(p.step + 1, p.steps)}/${p.steps} · ${figures(p)}`);
        drawn = true;
        return;
      }
      const key = `${p.step}:${p.page}`;
      if (key === lastKey && p.counts.details - lastDetails < 100) return;
      lastKey = key;
      lastDetails = p.counts.details;
      io.stdout.write(`kopis: step ${Math.min(p.step + 1, p.steps)}/${p.steps} page ${p.page}: ${figures(p)}\n`);
    },
    end() {
      if (drawn) io.stdout.write('\n');
      drawn = false;
    },
  };
}

function report(s: KopisSyncSummary, seconds: string, io: CommandIo): void {
  const c = s.counts;
  const mode = s.dryRun ? 'dry run' : s.resumed ? 'resumed sync' : s.afterdate ? `incremental sync (changes since ${s.afterdate})` : 'full sync';
  io.stdout.write(
    `kopis: ${mode} of ${s.from}–${s.to} (${s.scope === 'all' ? 'all provinces' : `provinces ${s.scope}`}, ${counted(s.steps, 'list query', 'list queries')}) in ${seconds}\n` +
      `  fetched ${n(c.fetched)}, details ${n(c.details)}${s.dryRun ? ' to fetch' : ''}, inserted ${n(c.inserted)}, updated ${n(c.updated)}, ` +
      `merged ${n(c.merged)}, skipped ${n(c.skipped)}, errors ${n(c.errors)}\n  KOPIS calls: ${n(s.calls)}\n`,
  );
  const set = s.recordProblems;
  if (set.open + set.givenUp > 0) {
    io.stdout.write(`  records set aside: ${n(set.open)} retried by the next syncs, ${n(set.givenUp)} given up (until KOPIS changes them)\n`);
  }
  for (const p of s.problems) io.stderr.write(`kopis: ${p}\n`);
  if (s.stopped === 'budget') {
    io.stderr.write('kopis: stopped: the daily call budget (KOPIS_DAILY_CALL_BUDGET) is spent; run again tomorrow to resume\n');
  }
}

export function createKopisCommand(io: CommandIo & { isTTY?: boolean } = Object.assign(process, { isTTY: process.stdout.isTTY })): Command {
  const run = async (args: string[], ctx: CommandContext): Promise<number> => {
    const [sub, ...rest] = args;
    if (sub !== 'sync' && sub !== 'boxoffice') {
      io.stderr.write(`${USAGE}\n`);
      return 2;
    }
    let values: Record<string, string | string[] | boolean | undefined>;
    let from: string | undefined;
    let to: string | undefined;
    let provinces: string[] = [];
    try {
      ({ values } = ctx.parseArgs({
        args: rest,
        options: {
          from: { type: 'string' },
          to: { type: 'string' },
          region: { type: 'string', multiple: true },
          'dry-run': { type: 'boolean' },
          full: { type: 'boolean' },
          size: { type: 'string' },
        },
        allowPositionals: false,
      }));
      from = dateOf(values.from as string | undefined, 'from');
      to = dateOf(values.to as string | undefined, 'to');
      if (from && to && to < from) throw new UsageError('--to is before --from');
      provinces = provincesOf((values.region as string[] | undefined) ?? []);
      if (sub === 'boxoffice' && values.size !== undefined && !/^([1-9]|[1-4]\d|50)$/.test(String(values.size))) {
        throw new UsageError('--size must be from 1 to 50');
      }
    } catch (err) {
      io.stderr.write(`ticketmoa kopis: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
    const config = configFromEnvironment();
    if (!config) return 2;
    if (config.kopis.serviceKey === undefined) {
      io.stderr.write('ticketmoa kopis: set KOPIS_SERVICE_KEY (a key from https://www.kopis.or.kr → Open API; see README)\n');
      return 2;
    }
    const notice = kopisWarning(config.kopis);
    if (notice) io.stderr.write(`kopis: warning: ${notice}\n`);
    const container = await openContainer(`kopis ${sub}`, config, { mayCreate: sub === 'sync', stderr: io.stderr });
    if (!container) return 1;
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const began = performance.now();
    const elapsed = () => `${((performance.now() - began) / 1000).toFixed(1)}s`;
    try {
      if (sub === 'boxoffice') {
        const today = kstDate(container.clock.now());
        const end = to ?? addDays(today, -1);
        const start = from ?? addDays(end, -6);
        const cmp = await container.kopis.boxoffice.compare(start, end, values.size === undefined ? 10 : Number(values.size));
        io.stdout.write(`KOPIS box office ${cmp.from}–${cmp.to}                 | ours (/popular?window=${cmp.window})\n`);
        for (let i = 0; i < Math.max(cmp.kopis.length, cmp.ours.length); i += 1) {
          const k = cmp.kopis[i];
          const o = cmp.ours[i];
          const left = k
            ? `${String(k.rank).padStart(2)}. ${k.title} [${k.mt20id}] ${k.ourRank ? `(ours #${k.ourRank})` : k.runId ? '(ours: not ranked)' : '(not in catalogue)'}`
            : '';
          const right = o
            ? `${String(o.rank).padStart(2)}. ${o.title} — ${counted(o.views, 'view', undefined, n)}${o.kopisRank ? ` (KOPIS #${o.kopisRank})` : ''}`
            : '';
          io.stdout.write(`${left.padEnd(48)} | ${right}\n`);
        }
        return 0;
      }
      const view = progressView(io, io.isTTY === true);
      const job = container.kopis.job({ from, to, provinces, dryRun: values['dry-run'] === true, full: values.full === true }, (p) => view.update(p));
      const outcome = await job.run({ signal: abort.signal }).finally(() => view.end());
      if (outcome.status === 'skipped') {
        io.stdout.write(`kopis: skipped, another sync holds the lease (${outcome.heldBy ?? 'unknown'})\n`);
        return 0;
      }
      report(outcome.summary, elapsed(), io);
      return outcome.summary.stopped === 'budget' ? EXIT_BUDGET : 0;
    } catch (err) {
      if (err instanceof JobStoppedError) {
        io.stderr.write(`kopis: stopped after ${elapsed()}; the next sync resumes where this one stopped\n`);
        return 130;
      }
      if (err instanceof KopisBudgetExhaustedError) {
        io.stderr.write(`kopis: ${err.message}\n`);
        return EXIT_BUDGET;
      }
      io.stderr.write(`kopis: failed: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await container.close();
    }
  };
  return { summary: 'sync the catalogue with KOPIS; compare its box office with /popular', usage: USAGE, run };
}

export const kopisCommand = createKopisCommand();
