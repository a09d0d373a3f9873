import { afterEach, describe, expect, it, vi } from 'vitest';
import { scheduleJob, type ScheduledJob } from './scheduler.js';

describe('a job schedule', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const recording = () => {
    const intervals: number[] = [];
    const job: ScheduledJob = {
      name: 'popular',
      runIfDue: async (intervalMs) => {
        intervals.push(intervalMs);
        return undefined;
      },
    };
    return { job, intervals };
  };

  it('when started, then its first check a second later asks whether an interval has passed since the last run', async () => {
    vi.useFakeTimers();
    const { job, intervals } = recording();
    const schedule = scheduleJob(job, { intervalMs: 3_600_000, onError: () => {} });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(intervals).toEqual([3_600_000]);
    await schedule.stop();
  });

  it('when asked to run first now (new data), then the first check runs it whenever it last ran, and later checks wait the interval', async () => {
    vi.useFakeTimers();
    const { job, intervals } = recording();
    const schedule = scheduleJob(job, { intervalMs: 3_600_000, firstRunNow: true, checkMs: 60_000, onError: () => {} });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(intervals).toEqual([0]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(intervals).toEqual([0, 3_600_000]);
    await schedule.stop();
  });
});
