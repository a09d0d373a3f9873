/**
 * Calendar rules in Korea Standard Time. KST has no daylight saving: it is always UTC+9,
 * so a fixed offset is exact. Calendar dates travel as the legacy `YYYY.MM.DD` strings,
 * which compare correctly as plain strings.
 */
const KST_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export type DottedDate = string;

const DOTTED = /^(\d{4})\.(\d{2})\.(\d{2})$/;
const DASHED = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The KST calendar date of an instant, as `YYYY.MM.DD`. */
export function kstDate(at: Date): DottedDate {
  const d = new Date(at.getTime() + KST_OFFSET_MS);
  return `${pad(d.getUTCFullYear(), 4)}.${pad(d.getUTCMonth() + 1)}.${pad(d.getUTCDate())}`;
}

/** ISO 8601 with the `+09:00` offset, millisecond precision. */
export function kstTimestamp(at: Date): string {
  const d = new Date(at.getTime() + KST_OFFSET_MS);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `.${pad(d.getUTCMilliseconds(), 3)}+09:00`
  );
}

function parseParts(match: RegExpExecArray | null): { y: number; m: number; d: number } | undefined {
  if (!match) return undefined;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return undefined;
  return { y, m, d };
}

/** True for a real calendar date written `YYYY.MM.DD`. */
export function isDottedDate(value: string): boolean {
  return parseParts(DOTTED.exec(value)) !== undefined;
}

/** `YYYY-MM-DD` (a real date) → `YYYY.MM.DD`, or undefined. */
export function dashedToDotted(value: string): DottedDate | undefined {
  const p = parseParts(DASHED.exec(value));
  return p ? `${pad(p.y, 4)}.${pad(p.m)}.${pad(p.d)}` : undefined;
}

function dottedToUtcMs(date: DottedDate): number {
  const p = parseParts(DOTTED.exec(date));
  if (!p) throw new Error(`not a YYYY.MM.DD date: ${date}`);
  return Date.UTC(p.y, p.m - 1, p.d);
}

export function addDays(date: DottedDate, days: number): DottedDate {
  const d = new Date(dottedToUtcMs(date) + days * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}.${pad(d.getUTCMonth() + 1)}.${pad(d.getUTCDate())}`;
}

/** Days from `a` to `b` (positive when b is later). */
export function daysBetween(a: DottedDate, b: DottedDate): number {
  return Math.round((dottedToUtcMs(b) - dottedToUtcMs(a)) / DAY_MS);
}

/** Saturday and Sunday of the Monday–Sunday week that contains `today`. */
export function weekendOf(today: DottedDate): { saturday: DottedDate; sunday: DottedDate } {
  const weekday = new Date(dottedToUtcMs(today)).getUTCDay(); // 0 = Sunday … 6 = Saturday
  const sinceMonday = (weekday + 6) % 7;
  const monday = addDays(today, -sinceMonday);
  return { saturday: addDays(monday, 5), sunday: addDays(monday, 6) };
}
