/**
 * Weekdays a run plays, read from its schedule text (KOPIS `dtguidance`), such as
 * `화요일 ~ 금요일(19:30), 토요일(15:00,19:00)` or `토요일 ~ 일요일(12:30)`.
 *
 * The mask has bit 0 for Monday … bit 6 for Sunday. The text is read conservatively: every
 * comma-separated part must be a day or a day range (`X요일 ~ Y요일`), optionally with times in
 * parentheses, or a `HOL(...)` (public holidays) part; anything else makes the whole text unknown
 * (undefined), and an unknown schedule changes nothing (the run counts as playing every day of its
 * dates). `매일` (daily) is every day.
 */
export type WeekdayMask = number;

export const MONDAY = 1;
export const SATURDAY = 1 << 5;
export const SUNDAY = 1 << 6;
export const EVERY_DAY = 0x7f;

const DAYS = '월화수목금토일';
const DAY = `([${DAYS}])요일`;
const TIMES = String.raw`(?:\s*\([^()]*\))?`;
const DAY_PART = new RegExp(`^${DAY}(?:\\s*[~\\-]\\s*${DAY})?${TIMES}$`);
const HOLIDAY_PART = new RegExp(`^HOL${TIMES}$`);
const DAILY_PART = new RegExp(`^매일${TIMES}$`);
const MAX_TEXT = 500;

/** Splits on commas outside parentheses (times inside them are comma-separated too). */
function parts(text: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    else if (ch === ')') depth -= 1;
    if (depth < 0 || depth > 1) return undefined;
    if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (depth !== 0) return undefined;
  out.push(current.trim());
  return out;
}

export function weekdaysOf(text: string | null | undefined): WeekdayMask | undefined {
  if (typeof text !== 'string' || text.length > MAX_TEXT) return undefined;
  const list = parts(text.trim());
  if (!list || list.length === 0) return undefined;
  let mask = 0;
  for (const part of list) {
    if (HOLIDAY_PART.test(part)) continue;
    if (DAILY_PART.test(part)) {
      mask |= EVERY_DAY;
      continue;
    }
    const m = DAY_PART.exec(part);
    if (!m) return undefined;
    const from = DAYS.indexOf(m[1]!);
    const to = m[2] === undefined ? from : DAYS.indexOf(m[2]);
    // a range may wrap past Sunday (금요일 ~ 월요일)
    for (let d = from; ; d = (d + 1) % 7) {
      mask |= 1 << d;
      if (d === to) break;
    }
  }
  // only holidays named: which weekdays is unknown
  return mask === 0 ? undefined : mask;
}
