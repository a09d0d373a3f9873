import { OPEN_RUN, type PerformanceSummary } from './performance.js';
import { SATURDAY, SUNDAY } from './schedule.js';

/** Pure catalogue rules. `today` is the KST calendar date `YYYY.MM.DD`. */

export function isOpenRun(run: Pick<PerformanceSummary, 'end_date'>): boolean {
  return run.end_date === OPEN_RUN;
}

/** Current: end date today or later, or an open run. */
export function isCurrent(run: Pick<PerformanceSummary, 'end_date'>, today: string): boolean {
  return isOpenRun(run) || run.end_date >= today;
}

/** Sold by exactly one vendor. */
export function isExclusive(run: Pick<PerformanceSummary, 'sites'>): boolean {
  return run.sites.length === 1;
}

/** Some host has a ticket URL, and the run is current. */
export function isOnSale(run: Pick<PerformanceSummary, 'hasTicketUrl' | 'end_date'>, today: string): boolean {
  return run.hasTicketUrl && isCurrent(run, today);
}

/**
 * The run overlaps the date range [from, to]; either bound may be absent.
 * An open run overlaps everything from its start date on.
 */
export function overlaps(run: Pick<PerformanceSummary, 'start_date' | 'end_date'>, from: string | undefined, to: string | undefined): boolean {
  if (to !== undefined && run.start_date > to) return false;
  if (from !== undefined && !isOpenRun(run) && run.end_date < from) return false;
  return true;
}

/**
 * On this weekend: the run overlaps Saturday–Sunday and, where its schedule text is known, plays
 * on one of those days within its dates (a weekday-only run overlapping the weekend is not on it).
 */
export function onWeekend(run: Pick<PerformanceSummary, 'start_date' | 'end_date' | 'plays'>, saturday: string, sunday: string): boolean {
  if (!overlaps(run, saturday, sunday)) return false;
  if (run.plays === undefined) return true;
  const within = (day: string) => overlaps(run, day, day);
  return ((run.plays & SATURDAY) !== 0 && within(saturday)) || ((run.plays & SUNDAY) !== 0 && within(sunday));
}

export const MUSICAL_OR_PLAY = '뮤지컬/연극';

/** `뮤지컬/연극` matches musicals, plays and the combined label; other labels match themselves. */
export function categoryMatches(runCategory: string | null, wanted: string): boolean {
  if (wanted === MUSICAL_OR_PLAY) {
    return runCategory === '뮤지컬' || runCategory === '연극' || runCategory === MUSICAL_OR_PLAY;
  }
  return runCategory === wanted;
}
