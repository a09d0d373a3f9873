import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDb } from '../../db/sqlite/connection.js';
import { manualClock } from '../../platform/clock.js';
import { JobRunner, type JobContext } from './job-runner.js';
import { scheduleJob } from './scheduler.js';
import { createSqliteJobLeaseStore } from './sqlite-job-lease-store.js';

const TTL = 60_000;

/** A job whose n-th run waits until the test has called `finish()` n times. */
function gatedJob() {
  let runs = 0;
  let finished = 0;
  const waiting: (() => void)[] = [];
  return {
    work: async (ctx: JobContext) => {
      runs += 1;
      const mine = runs;
      while (finished < mine) await new Promise<void>((resolve) => waiting.push(resolve));
      await ctx.progress('working');
      return { runs: mine };
    },
    finish: () => {
      finished += 1;
      waiting.splice(0).forEach((wake) => wake());
    },
    runs: () => runs,
  };
}

describe('job leases', () => {
  let dir: string;
  let dbs: SqliteDb[];
  const clock = manualClock('2026-11-27T03:00:00Z');
  const instance = (holder: string, work: (ctx: JobContext) => Promise<unknown>) => {
    const db = openSqlite(path.join(dir, 'shared.db'));
    dbs.push(db);
    return new JobRunner('popular', work, TTL, { leases: createSqliteJobLeaseStore(db), clock, holder });
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-jobs-'));
    dbs = [];
    clock.set('2026-11-27T03:00:00Z');
  });
  afterEach(() => {
    for (const db of dbs) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when two instances start the same job at once, then one runs and the other skips', async () => {
    const job = gatedJob();
    const a = instance('api-1', job.work);
    const b = instance('api-2', job.work);
    const first = a.run();
    await new Promise((r) => setImmediate(r));
    const second = await b.run();
    expect(second).toMatchObject({ status: 'skipped', heldBy: 'api-1' });
    job.finish();
    expect(await first).toMatchObject({ status: 'ran', summary: { runs: 1 } });
    expect(job.runs()).toBe(1);
  });

  it('when the first run has finished, then the other instance can run the job', async () => {
    const job = gatedJob();
    const a = instance('api-1', job.work);
    const b = instance('api-2', job.work);
    const first = a.run();
    job.finish();
    await first;
    const second = b.run();
    job.finish();
    expect(await second).toMatchObject({ status: 'ran', summary: { runs: 2 } });
  });

  it('when a holder dies without releasing, then the lease is taken over after it expires', async () => {
    const never = instance('crashed', () => new Promise(() => undefined));
    void never.run();
    await new Promise((r) => setImmediate(r));
    const job = gatedJob();
    const b = instance('api-2', job.work);
    expect((await b.run()).status).toBe('skipped');
    clock.advance(TTL);
    const taken = b.run();
    job.finish();
    expect((await taken).status).toBe('ran');
  });

  it('when a run fails, then the lease is freed and the run does not count as finished', async () => {
    const a = instance('api-1', async () => {
      throw new Error('lake unreachable');
    });
    await expect(a.run()).rejects.toThrow('lake unreachable');
    const job = gatedJob();
    const b = instance('api-2', job.work);
    const due = b.runIfDue(3_600_000);
    job.finish();
    expect(await due).toMatchObject({ status: 'ran' });
  });

  it('when another instance finished the job within the interval, then a scheduled check does not run it again', async () => {
    const job = gatedJob();
    const a = instance('api-1', job.work);
    const b = instance('api-2', job.work);
    const first = a.runIfDue(3_600_000);
    job.finish();
    expect((await first)?.status).toBe('ran');
    clock.advance(30 * 60_000);
    expect(await b.runIfDue(3_600_000)).toBeUndefined();
    clock.advance(30 * 60_000);
    const again = b.runIfDue(3_600_000);
    job.finish();
    expect((await again)?.status).toBe('ran');
    expect(job.runs()).toBe(2);
  });

  it('when a run takes real time under a clock that stands still, then its outcome reports the real duration', async () => {
    const a = instance('api-1', async () => {
      await new Promise((r) => setTimeout(r, 60));
      return { slept: true };
    });
    const outcome = await a.run();
    expect(outcome.status).toBe('ran');
    expect(outcome.status === 'ran' && outcome.ms).toBeGreaterThanOrEqual(50);
  });

  it('when a schedule is stopped mid-run, then the job stops and frees its lease', async () => {
    const job = gatedJob();
    const a = instance('api-1', job.work);
    const errors: unknown[] = [];
    const schedule = scheduleJob(a, { intervalMs: 3_600_000, onError: (e) => errors.push(e) });
    const ticking = schedule.tick();
    await new Promise((r) => setImmediate(r));
    const stopping = schedule.stop();
    job.finish();
    await stopping;
    expect(await ticking).toBeUndefined();
    expect(errors).toEqual([]);
    const b = instance('api-2', job.work);
    const next = b.run();
    job.finish();
    expect((await next).status).toBe('ran');
  });
});
