import { isDottedDate } from '../../platform/kst.js';
import { posterUrlProblem, webLinkProblem } from './links.js';
import { weekdaysOf, type WeekdayMask } from './schedule.js';

/** `end_date` of a run that is always on. */
export const OPEN_RUN = '상시공연';

export interface Host {
  site_id: number;
  ticket_url: string | null;
}
export interface Price {
  seat: string | null;
  price: string | number | null;
}
export interface Casting {
  actor: string | null;
  role: string | null;
}
export interface Artist {
  artist_name: string | null;
  artist_url: string | null;
}

/** One performance run, with the legacy field names (they appear on the wire). */
export interface Performance {
  _id: string;
  title: string;
  duplicatekey: string;
  category: string | null;
  location: string | null;
  region: string | null;
  price: Price[] | null;
  start_date: string;
  end_date: string;
  running_time: string | null;
  rating: string | null;
  casting: Casting[] | null;
  artist: Artist[] | null;
  description: string | null;
  poster_url: string | null;
  open_date: string | null;
  pre_open_date: string | null;
  hosts: Host[];
  /**
   * Schedule text from a source that has one (KOPIS `dtguidance`, e.g. `화요일 ~ 금요일(19:30)`).
   * Kept in the stored document (last, and only when present) to refine "this weekend", but not
   * part of the legacy wire document: `/detail` leaves it out (see `wireDocumentJson`).
   */
  schedule?: string | null;
}

/** What list endpoints need of a run; kept in memory for the whole catalogue. */
export interface PerformanceSummary {
  id: string;
  title: string;
  category: string | null;
  location: string | null;
  region: string | null;
  poster_url: string | null;
  start_date: string;
  end_date: string;
  /** Vendor ids, ascending. */
  sites: number[];
  /** Some host has a ticket URL. */
  hasTicketUrl: boolean;
  artistNames: string[];
  /** Weekdays the run plays, when its schedule text could be read; absent = every day of its dates. */
  plays?: WeekdayMask;
}

export function summarize(p: Performance): PerformanceSummary {
  const plays = weekdaysOf(p.schedule);
  return {
    id: p._id,
    title: p.title,
    category: p.category,
    location: p.location,
    region: p.region,
    poster_url: p.poster_url,
    start_date: p.start_date,
    end_date: p.end_date,
    sites: [...new Set(p.hosts.map((h) => h.site_id))].sort((a, b) => a - b),
    hasTicketUrl: p.hosts.some((h) => typeof h.ticket_url === 'string' && h.ticket_url.length > 0),
    artistNames: (p.artist ?? []).map((a) => a.artist_name).filter((n): n is string => !!n),
    // absent rather than undefined, so that summaries of runs without a schedule stay as they were
    ...(plays === undefined ? {} : { plays }),
  };
}

/** What text similarity reads of a run. */
export interface RunText {
  id: string;
  region: string | null;
  start_date: string;
  /** `YYYY.MM.DD` or `상시공연` (whether the run is current). */
  end_date: string;
  title: string;
  category: string | null;
  description: string | null;
  artistNames: string[];
}

export function runText(p: Performance): RunText {
  return {
    id: p._id,
    region: p.region,
    start_date: p.start_date,
    end_date: p.end_date,
    title: p.title,
    category: p.category,
    description: p.description,
    artistNames: (p.artist ?? []).map((a) => a.artist_name).filter((n): n is string => !!n),
  };
}

/** Title with everything but Hangul, Latin letters and digits removed, then the start date. */
export function duplicateKey(title: string, startDate: string): string {
  return title.replace(/[^\p{Script=Hangul}A-Za-z0-9]/gu, '') + startDate;
}

/** Field order on the wire (the legacy document's order). */
const FIELD_ORDER: readonly (keyof Performance)[] = [
  '_id',
  'title',
  'duplicatekey',
  'category',
  'location',
  'region',
  'price',
  'start_date',
  'end_date',
  'running_time',
  'rating',
  'casting',
  'artist',
  'description',
  'poster_url',
  'open_date',
  'pre_open_date',
  'hosts',
];

/** The document as stored (fixed field order, every legacy field present; `schedule` last, only when known). */
export function toDocumentJson(p: Performance): string {
  const ordered: Record<string, unknown> = {};
  for (const k of FIELD_ORDER) ordered[k] = p[k];
  if (typeof p.schedule === 'string' && p.schedule !== '') ordered.schedule = p.schedule;
  return JSON.stringify(ordered);
}

/** The stored document as `/detail` serves it: the legacy fields only. */
export function wireDocumentJson(doc: string): string {
  if (!doc.includes('"schedule":')) return doc;
  const { schedule: _schedule, ...legacy } = JSON.parse(doc) as Performance;
  return JSON.stringify(legacy);
}

export type ParseResult = { ok: true; value: Performance; idGiven: boolean } | { ok: false; reason: string };

const MAX_TEXT = 100_000;
const MAX_SHORT = 2_000;
const HEX24 = /^[0-9a-fA-F]{24}$/;

class Invalid extends Error {}

function fail(reason: string): never {
  throw new Invalid(reason);
}

function optionalString(raw: Record<string, unknown>, field: string, max = MAX_SHORT): string | null {
  const v = raw[field];
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') fail(`${field} must be a string or null`);
  if (v.length > max) fail(`${field} is longer than ${max} characters`);
  return v;
}

function objectArray<T>(raw: Record<string, unknown>, field: string, keys: readonly string[], allowNumber: readonly string[] = []): T[] | null {
  const v = raw[field];
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) fail(`${field} must be an array or null`);
  if (v.length > 1000) fail(`${field} has more than 1000 entries`);
  return v.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) fail(`${field}[${i}] must be an object`);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const value = (item as Record<string, unknown>)[k];
      if (value === undefined || value === null) out[k] = null;
      else if (typeof value === 'string' && value.length <= MAX_SHORT) out[k] = value;
      else if (typeof value === 'number' && Number.isFinite(value) && allowNumber.includes(k)) out[k] = value;
      else fail(`${field}[${i}].${k} must be a string or null`);
    }
    return out as T;
  });
}

function parseHosts(raw: Record<string, unknown>): Host[] {
  const v = raw.hosts;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail('hosts must be an array');
  const bySite = new Map<number, Host>();
  v.forEach((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) fail(`hosts[${i}] must be an object`);
    const h = item as Record<string, unknown>;
    const site = typeof h.site_id === 'string' && /^\d{1,6}$/.test(h.site_id) ? Number(h.site_id) : h.site_id;
    if (typeof site !== 'number' || !Number.isInteger(site) || site < 1 || site > 999_999) {
      fail(`hosts[${i}].site_id must be a positive integer`);
    }
    const url = h.ticket_url;
    if (url !== undefined && url !== null && (typeof url !== 'string' || url.length > MAX_SHORT)) {
      fail(`hosts[${i}].ticket_url must be a string or null`);
    }
    linkOrFail(`hosts[${i}].ticket_url`, url, webLinkProblem);
    const host: Host = { site_id: site, ticket_url: typeof url === 'string' && url.length > 0 ? url : null };
    const seen = bySite.get(site);
    if (!seen || (seen.ticket_url === null && host.ticket_url !== null)) bySite.set(site, host);
  });
  return [...bySite.values()].sort((a, b) => a.site_id - b.site_id);
}

/** Links are served to every frontend as `href`/`src`: a `javascript:` one would run there. */
function linkOrFail(field: string, value: unknown, problem: (value: string) => string | undefined): void {
  if (typeof value !== 'string') return;
  const message = problem(value);
  if (message !== undefined) fail(`${field} ${message}`);
}

/**
 * Validates one plain-JSON record (Extended JSON already unwrapped) and returns the
 * normalised document. Unknown fields are dropped. A missing `_id` is allowed (the caller
 * assigns one); a missing `duplicatekey` is computed. Links (`poster_url`, `artist[].artist_url`,
 * `hosts[].ticket_url`) must be absolute http(s) URLs, or for `poster_url` the service's own
 * `/posters/…` path (see links.ts).
 */
export function parsePerformance(input: unknown): ParseResult {
  try {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) fail('a record must be a JSON object');
    const raw = input as Record<string, unknown>;
    let id = '';
    const rawId = raw._id ?? raw.id;
    if (rawId !== undefined && rawId !== null) {
      if (typeof rawId !== 'string' || !HEX24.test(rawId)) fail('_id must be 24 hexadecimal characters');
      id = rawId.toLowerCase();
    }
    const title = raw.title;
    if (typeof title !== 'string' || title.trim() === '') fail('title is required');
    if (title.length > 500) fail('title is longer than 500 characters');
    const start = raw.start_date;
    if (typeof start !== 'string' || !isDottedDate(start)) fail('start_date must be a real date written YYYY.MM.DD');
    const end = raw.end_date;
    if (typeof end !== 'string' || (end !== OPEN_RUN && !isDottedDate(end))) {
      fail(`end_date must be a real date written YYYY.MM.DD or ${OPEN_RUN}`);
    }
    if (end !== OPEN_RUN && end < start) fail('end_date is before start_date');
    let key = raw.duplicatekey;
    if (key === undefined || key === null || key === '') key = duplicateKey(title, start);
    if (typeof key !== 'string' || key.length > 1000) fail('duplicatekey must be a string');
    const value: Performance = {
      _id: id,
      title,
      duplicatekey: key,
      category: optionalString(raw, 'category'),
      location: optionalString(raw, 'location'),
      region: optionalString(raw, 'region'),
      price: objectArray<Price>(raw, 'price', ['seat', 'price'], ['price']),
      start_date: start,
      end_date: end,
      running_time: optionalString(raw, 'running_time'),
      rating: optionalString(raw, 'rating'),
      casting: objectArray<Casting>(raw, 'casting', ['actor', 'role']),
      artist: objectArray<Artist>(raw, 'artist', ['artist_name', 'artist_url']),
      description: optionalString(raw, 'description', MAX_TEXT),
      poster_url: optionalString(raw, 'poster_url'),
      open_date: optionalString(raw, 'open_date'),
      pre_open_date: optionalString(raw, 'pre_open_date'),
      hosts: parseHosts(raw),
    };
    linkOrFail('poster_url', value.poster_url, posterUrlProblem);
    value.artist?.forEach((a, i) => linkOrFail(`artist[${i}].artist_url`, a.artist_url, webLinkProblem));
    return { ok: true, value, idGiven: id !== '' };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, reason: err.message };
    throw err;
  }
}

/** Hosts of both, one per vendor; the incoming entry wins where it has a ticket URL. */
export function mergeHosts(existing: readonly Host[], incoming: readonly Host[]): Host[] {
  const bySite = new Map<number, Host>();
  for (const h of existing) bySite.set(h.site_id, h);
  for (const h of incoming) {
    const seen = bySite.get(h.site_id);
    if (!seen || h.ticket_url !== null) bySite.set(h.site_id, h);
  }
  return [...bySite.values()].sort((a, b) => a.site_id - b.site_id);
}
