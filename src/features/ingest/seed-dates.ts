import { addDays, daysBetween, weekendOf } from '../../platform/kst.js';
import type { Random } from './seed-random.js';

/** How far from today start dates spread. */
export const EARLIEST_START = -120;
export const LATEST_START = 180;

/**
 * When in its week a concert plays: `[first day, 0 = Monday … 6 = Sunday; extra days]`.
 * Real concerts cluster on weekends: Saturday, Sunday, or Friday to Sunday; a few on weekdays.
 */
const CONCERT_WEEK_SLOTS: readonly (readonly [readonly [number, number], number])[] = [
  [[5, 0], 30],
  [[6, 0], 15],
  [[4, 0], 8],
  [[5, 1], 25],
  [[4, 2], 10],
  [[4, 1], 5],
  [[0, 0], 2],
  [[1, 0], 2],
  [[2, 0], 2],
  [[3, 0], 1],
];

export interface RunDates {
  start: string;
  /** Days after `start` the run ends on. */
  days: number;
}

const mondayOf = (day: string) => addDays(weekendOf(day).saturday, -5);

/**
 * A concert's dates: a random week, then a slot of that week (mostly Friday to Sunday). With
 * `thisWeekend`, a weekend slot of today's week that has not ended yet (so it shows on
 * `/this_weekend` and is still ahead, or on today, for the visitor).
 */
export function concertDates(r: Random, today: string, thisWeekend: boolean): RunDates {
  if (thisWeekend) {
    const weekday = daysBetween(mondayOf(today), today);
    const slots = CONCERT_WEEK_SLOTS.filter(([[first, extra]]) => first + extra >= Math.max(5, weekday));
    const [first, extra] = r.weighted(slots);
    return { start: addDays(mondayOf(today), first), days: extra };
  }
  const [first, extra] = r.weighted(CONCERT_WEEK_SLOTS);
  let start = addDays(mondayOf(addDays(today, r.int(EARLIEST_START, LATEST_START))), first);
  // keep the spread of start dates: a slot may fall in the days past either end
  if (daysBetween(today, start) > LATEST_START) start = addDays(start, -7);
  if (daysBetween(today, start) < EARLIEST_START) start = addDays(start, 7);
  return { start, days: extra };
}

/**
 * A longer run's start (musicals, plays, exhibitions, …) that lasts `days`. With `thisWeekend`,
 * it plays on a day of this weekend that is today or later.
 */
export function runStart(r: Random, today: string, days: number, thisWeekend: boolean): string {
  if (!thisWeekend) return addDays(today, r.int(EARLIEST_START, LATEST_START));
  const { saturday, sunday } = weekendOf(today);
  const day = today > saturday || r.chance(0.5) ? sunday : saturday;
  // it started at most `days` before that day, and not before the spread's first day
  return addDays(day, -r.int(0, Math.min(days, -EARLIEST_START)));
}
