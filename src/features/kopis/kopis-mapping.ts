import { isWebLink, OPEN_RUN, parsePerformance, type Artist, type Casting, type Host, type Performance, type Price } from '../catalog/index.js';
import { categoryOf, regionOfArea, siteOfUrl } from './kopis-codes.js';
import type { KopisDetail, KopisListItem } from './kopis.client.js';

/** Where relative poster paths (seen in box office answers) live. */
export const KOPIS_ASSET_BASE = 'http://www.kopis.or.kr';
const MAX_DESCRIPTION = 100_000;
const MAX_PEOPLE = 100;

export function absoluteAsset(url: string | undefined): string | null {
  if (url === undefined) return null;
  if (url.startsWith('/')) return `${KOPIS_ASSET_BASE}${url}`;
  return isWebLink(url) ? url : null;
}

/** `R석 150,000원, S석 154,000원` → seats and prices; a part without an amount keeps its text as the price. */
export function pricesOf(text: string | undefined): Price[] | null {
  if (text === undefined) return null;
  // commas inside amounts (150,000) are followed by digits; separators are not
  const parts = text
    .split(/,(?!\d{3})/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const prices = parts.map((part): Price => {
    const m = /^(.*?)\s*(\d{1,3}(?:,\d{3})+원|\d+원)$/.exec(part);
    if (!m) return { seat: null, price: part };
    return { seat: m[1] === '' ? null : m[1]!, price: m[2]! };
  });
  return prices.length > 0 ? prices.slice(0, 1000) : null;
}

/** `김철수, 이영희 등` → names. */
export function peopleOf(text: string | undefined): string[] {
  if (text === undefined) return [];
  const names = text
    .split(',')
    .map((n) =>
      n
        .trim()
        .replace(/\s*등$/, '')
        .trim(),
    )
    .filter((n) => n !== '' && n.length <= 200);
  return [...new Set(names)].slice(0, MAX_PEOPLE);
}

/** Booking sites by URL host, one per vendor (the first URL of a vendor wins). */
export function hostsOf(detail: Pick<KopisDetail, 'relates'>): Host[] {
  const bySite = new Map<number, Host>();
  for (const r of detail.relates) {
    const site = siteOfUrl(r.url);
    if (site !== undefined && !bySite.has(site)) bySite.set(site, { site_id: site, ticket_url: r.url });
  }
  return [...bySite.values()].sort((a, b) => a.site_id - b.site_id);
}

export type MappedRun = { ok: true; run: Performance } | { ok: false; reason: string };

/**
 * A KOPIS performance (its detail; the list item fills what the detail lacks) as a catalogue run
 * with the given id. Validated as an imported record is (`parsePerformance`).
 */
export function runOfKopis(id: string, detail: KopisDetail, listed?: KopisListItem): MappedRun {
  const field = <K extends keyof KopisListItem>(k: K) => detail[k] ?? listed?.[k];
  const cast = peopleOf(detail.prfcast);
  const crew = peopleOf(detail.prfcrew);
  const artists = [...new Set([...cast, ...crew])];
  const finished = field('prfstate') === '공연완료';
  const record = {
    _id: id,
    title: field('prfnm'),
    start_date: field('prfpdfrom'),
    end_date: field('openrun') === 'Y' && !finished ? OPEN_RUN : field('prfpdto'),
    category: categoryOf(field('genrenm'), detail.child),
    location: field('fcltynm') ?? null,
    region: regionOfArea(field('area')),
    price: pricesOf(detail.pcseguidance),
    running_time: detail.prfruntime ?? null,
    rating: detail.prfage ?? null,
    casting: cast.length > 0 ? cast.map((actor): Casting => ({ actor, role: null })) : null,
    artist: artists.length > 0 ? artists.map((artist_name): Artist => ({ artist_name, artist_url: null })) : null,
    description: detail.sty?.slice(0, MAX_DESCRIPTION) ?? null,
    poster_url: absoluteAsset(field('poster')),
    open_date: null,
    pre_open_date: null,
    hosts: hostsOf(detail),
  };
  const parsed = parsePerformance(record);
  if (!parsed.ok) return { ok: false, reason: `${detail.mt20id}: ${parsed.reason}` };
  return { ok: true, run: { ...parsed.value, schedule: detail.dtguidance ?? null } };
}
