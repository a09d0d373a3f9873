import { unprocessable } from '../../platform/errors.js';
import { addDays, daysBetween, dashedToDotted, type DottedDate } from '../../platform/kst.js';
import type { InstantRange } from './analytics-engine.js';

/** Days the dashboard shows when no range is asked for: the last 7 KST days, today included. */
export const DEFAULT_DAYS = 7;
/** The longest range one request may ask for. */
export const MAX_DAYS = 366;

/** A range of whole KST days, both ends included. */
export interface DayRange {
  /** `YYYY-MM-DD`. */
  from: string;
  to: string;
  /** Every day of the range, in order (`YYYY-MM-DD`). */
  days: string[];
  instants: InstantRange;
}

const dashed = (d: DottedDate) => d.replace(/\./g, '-');

function parseDay(name: string, value: string | undefined): DottedDate | undefined {
  if (value === undefined || value === '') return undefined;
  const dotted = dashedToDotted(value);
  if (dotted === undefined) throw unprocessable(`${name} must be a date written YYYY-MM-DD`);
  return dotted;
}

const kstMidnight = (d: DottedDate) => new Date(Date.parse(`${dashed(d)}T00:00:00+09:00`));

/**
 * The days `from`–`to` (`YYYY-MM-DD`, KST, both included). `to` defaults to today, `from` to six
 * days before `to`. A reversed range, or one longer than 366 days, is refused (422).
 */
export function resolveRange(today: DottedDate, from: string | undefined, to: string | undefined): DayRange {
  const last = parseDay('to', to) ?? today;
  const first = parseDay('from', from) ?? addDays(last, -(DEFAULT_DAYS - 1));
  const span = daysBetween(first, last) + 1;
  if (span < 1) throw unprocessable('from must not be after to');
  if (span > MAX_DAYS) throw unprocessable(`a range may cover at most ${MAX_DAYS} days`);
  const days = Array.from({ length: span }, (_, i) => dashed(addDays(first, i)));
  return {
    from: dashed(first),
    to: dashed(last),
    days,
    instants: { start: kstMidnight(first), end: kstMidnight(addDays(last, 1)) },
  };
}
