import { kstDate, kstTimestamp } from '../../platform/kst.js';

/** Fields that hold a calendar day: a `$date` there becomes the KST day `YYYY.MM.DD`. */
const DAY_FIELDS = new Set(['start_date', 'end_date']);

function toDate(value: unknown): Date | undefined {
  let ms: number;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string' && /^-?\d+$/.test(value)) ms = Number(value);
  else if (typeof value === 'string') ms = Date.parse(value);
  else return undefined;
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

function toNumber(value: unknown, keepUnsafeAsString: boolean): unknown {
  if (typeof value !== 'string') return value;
  const n = Number(value);
  if (value.trim() === '' || Number.isNaN(n)) return value;
  if (keepUnsafeAsString && Number.isInteger(n) && !Number.isSafeInteger(n)) return value;
  return n;
}

/**
 * `JSON.parse` reviver that unwraps MongoDB Extended JSON (canonical and relaxed, as written by
 * `mongoexport`) into plain JSON. Revivers run bottom-up, so `{"$date": {"$numberLong": …}}`
 * sees the inner number already unwrapped. Wrappers with no plain-JSON meaning (`$binary`,
 * `$regularExpression`, …) are left as objects and rejected by validation where they matter.
 */
export function reviveExtendedJson(key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const obj = value as Record<string, unknown>;
  let only: string | undefined;
  for (const k in obj) {
    if (only !== undefined) return value;
    only = k;
  }
  if (only === undefined || only.charCodeAt(0) !== 36 /* $ */) return value;
  const inner = obj[only];
  switch (only) {
    case '$oid':
    case '$symbol':
      return typeof inner === 'string' ? inner : value;
    case '$numberInt':
    case '$numberDouble':
      return toNumber(inner, false);
    case '$numberLong':
      return toNumber(inner, true);
    case '$numberDecimal':
      return typeof inner === 'string' ? inner : value;
    case '$undefined':
      return null;
    case '$date': {
      const date = toDate(inner);
      if (!date) return value;
      return DAY_FIELDS.has(key) ? kstDate(date) : kstTimestamp(date);
    }
    default:
      return value;
  }
}

/** Parses one JSON text, unwrapping Extended JSON on the way. Throws SyntaxError. */
export function parseExtendedJson(text: string): unknown {
  return JSON.parse(text, reviveExtendedJson);
}
