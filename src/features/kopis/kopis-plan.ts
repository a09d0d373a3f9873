import { addDays, daysBetween } from '../../platform/kst.js';

/** KOPIS refuses list periods longer than 31 days (result code 05): a window spans 31 days, ends included. */
export const WINDOW_DAYS = 31;
/** KOPIS refuses more than 100 rows per page (result code 06). */
export const PAGE_ROWS = 100;

/** What a sync covers: run dates (`YYYY.MM.DD`, both ends included) and provinces ([] = all). */
export interface SyncScope {
  from: string;
  to: string;
  provinces: string[];
}

/** One list query, paged until a short page. Dates are `yyyyMMdd`. */
export interface SyncStep {
  stdate: string;
  eddate: string;
  signgucode?: string;
  afterdate?: string;
}

export interface SyncPlan {
  scope: SyncScope;
  /** Builds on an earlier sync: `afterdate` is the day that sync started. */
  afterdate?: string;
  steps: SyncStep[];
}

export const compactDate = (dotted: string): string => dotted.replaceAll('.', '');

/** Which syncs an incremental one may build on: the same provinces. */
export const scopeKey = (provinces: readonly string[]): string => (provinces.length === 0 ? 'all' : [...provinces].sort().join(','));

/** [from, to] cut into windows of at most WINDOW_DAYS days. */
export function windows(from: string, to: string): [string, string][] {
  const out: [string, string][] = [];
  for (let start = from; start <= to; start = addDays(start, WINDOW_DAYS)) {
    const end = addDays(start, WINDOW_DAYS - 1);
    out.push([start, end < to ? end : to]);
  }
  return out;
}

function stepsOver(from: string, to: string, provinces: readonly string[], afterdate?: string): SyncStep[] {
  if (from > to) return [];
  const codes = provinces.length === 0 ? [undefined] : provinces;
  return windows(from, to).flatMap(([s, e]) =>
    codes.map((code) => ({
      stdate: compactDate(s),
      eddate: compactDate(e),
      ...(code === undefined ? {} : { signgucode: code }),
      ...(afterdate === undefined ? {} : { afterdate }),
    })),
  );
}

/**
 * The list queries of a sync. With an earlier finished sync of the same provinces (and unless
 * `full`), the dates both cover are asked only for what changed since the day it started
 * (`afterdate`); dates it did not cover are listed in full, since a run registered long ago that
 * plays only there has never been seen.
 */
export function planSync(scope: SyncScope, previous: { scope: SyncScope; startedDay: string } | undefined, full: boolean): SyncPlan {
  const { from, to, provinces } = scope;
  const overlapFrom = previous && previous.scope.from > from ? previous.scope.from : from;
  const overlapTo = previous && previous.scope.to < to ? previous.scope.to : to;
  if (full || !previous || overlapFrom > overlapTo) return { scope, steps: stepsOver(from, to, provinces) };
  const afterdate = compactDate(previous.startedDay);
  return {
    scope,
    afterdate,
    steps: [
      ...stepsOver(from, addDays(overlapFrom, -1), provinces),
      ...stepsOver(overlapFrom, overlapTo, provinces, afterdate),
      ...stepsOver(addDays(overlapTo, 1), to, provinces),
    ],
  };
}

/** Days from `from` to `to`, both included. */
export const spanDays = (from: string, to: string): number => daysBetween(from, to) + 1;
