import { unprocessable } from '../../platform/errors.js';
import { addDays, daysBetween, dashedToDotted, type DottedDate } from '../../platform/kst.js';
import type { InstantRange } from './analytics-engine.js';

/** Days the dashboard shows when no range is asked for: the last 7 KST days, today included. */
export const DEFAULT_DAYS = 7;
/** The longest range one request may ask for. */
export const MAX_DAYS = 366;
/**
 * The days a range may name: from 2000-01-01 (before any TicketMoa event could exist) to one year
 * after today (KST). The lake holds only events stamped by the service's clock, so nothing lies
 * outside; the bounds keep every instant computable (`to=9999-12-31` once ended at a day after
 * year 9999, an invalid Date, and answered 503 "Invalid time value").
 */
export const EARLIEST_DAY = '2000.01.01';
export const DAYS_AHEAD = 366;

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

type Field = 'from' | 'to';

/** A 422 in the shape of the API's other validation errors: `detail` and `errors: [{field, message}]`. */
function invalid(name: Field, message: string): Error {
  const field = `querystring.${name}`;
  return unprocessable({ field, message });
}

function parseDay(name: Field, value: string | undefined, today: DottedDate): DottedDate | undefined {
  if (value === undefined || value === '') return undefined;
  const dotted = dashedToDotted(value);
  if (dotted === undefined) throw invalid(name, 'must be a date written YYYY-MM-DD');
  const latest = addDays(today, DAYS_AHEAD);
  if (dotted < EARLIEST_DAY || dotted > latest) throw invalid(name, `must be a day from ${dashed(EARLIEST_DAY)} to ${dashed(latest)}`);
  return dotted;
}

const kstMidnight = (d: DottedDate) => new Date(Date.parse(`${dashed(d)}T00:00:00+09:00`));

/**
 * The days `from`–`to` (`YYYY-MM-DD`, KST, both included). `to` defaults to today, `from` to six
 * days before `to`. A day outside EARLIEST_DAY … today + DAYS_AHEAD, a reversed range, or one
 * longer than 366 days, is refused (422).
 */
export function resolveRange(today: DottedDate, from: string | undefined, to: string | undefined): DayRange {
  const last = parseDay('to', to, today) ?? today;
  const first = parseDay('from', from, today) ?? addDays(last, -(DEFAULT_DAYS - 1));
  const span = daysBetween(first, last) + 1;
  if (span < 1) throw invalid('from', 'must not be after to');
  if (span > MAX_DAYS) throw invalid('from', `must leave a range of at most ${MAX_DAYS} days`);
  const days = Array.from({ length: span }, (_, i) => dashed(addDays(first, i)));
  return {
    from: dashed(first),
    to: dashed(last),
    days,
    instants: { start: kstMidnight(first), end: kstMidnight(addDays(last, 1)) },
  };
}
