/**
 * KOPIS labels and codes mapped to the product's vocabulary (docs/adr/0009-kopis-connector.md).
 * KOPIS list and detail answers carry labels only (`area`, `genrenm`), never codes.
 */

/** The product's region groups (docs/contract.md §1). */
export const REGIONS = ['서울', '수도권', '경상', '전라', '강원', '충청', '제주'] as const;
export type Region = (typeof REGIONS)[number];

/** Province label prefixes (old and new names: 강원특별자치도, 전북특별자치도 …) → region group. */
const AREA_PREFIXES: readonly [string, Region][] = [
  ['서울', '서울'],
  ['경기', '수도권'],
  ['인천', '수도권'],
  ['부산', '경상'],
  ['대구', '경상'],
  ['울산', '경상'],
  ['경상', '경상'],
  ['경북', '경상'],
  ['경남', '경상'],
  ['광주', '전라'],
  ['전라', '전라'],
  ['전북', '전라'],
  ['전남', '전라'],
  ['강원', '강원'],
  ['대전', '충청'],
  ['세종', '충청'],
  ['충청', '충청'],
  ['충북', '충청'],
  ['충남', '충청'],
  ['제주', '제주'],
];

export function regionOfArea(area: string | undefined): Region | null {
  if (area === undefined) return null;
  const label = area.replace(/\s+/g, '');
  return AREA_PREFIXES.find(([prefix]) => label.startsWith(prefix))?.[1] ?? null;
}

/**
 * `signgucode` values per region group, for `--region` (KOPIS takes one code per call, so a
 * group fans out). From the shared notes' list, which says to check 강원 (42, maybe 51 since the
 * rename) and 전북 (45) against KOPIS's 공통코드 PDF: a raw two-digit code can always be given instead.
 */
export const PROVINCE_CODES: Readonly<Record<Region, readonly string[]>> = {
  서울: ['11'],
  수도권: ['28', '41'],
  경상: ['26', '27', '31', '47', '48'],
  전라: ['29', '45', '46'],
  강원: ['42'],
  충청: ['30', '36', '43', '44'],
  제주: ['50'],
};

/** `서울`, `수도권`, … or a two-digit province code → the codes to fan out over; undefined if unknown. */
export function provinceCodesOf(region: string): readonly string[] | undefined {
  if (/^\d{2}$/.test(region)) return [region];
  return (REGIONS as readonly string[]).includes(region) ? PROVINCE_CODES[region as Region] : undefined;
}

/**
 * The nine KOPIS genres → the product's categories, using the labels the catalogue already has
 * (the demo catalogue's `클래식`, `무용`, `아동/가족` beside the contract's five).
 */
const GENRES: Readonly<Record<string, string>> = {
  연극: '연극', // AAAA
  뮤지컬: '뮤지컬', // GGGA
  대중음악: '콘서트', // CCCD
  '서양음악(클래식)': '클래식', // CCCA
  '한국음악(국악)': '클래식', // CCCC: vendors shelve 국악 with classical music
  '무용(서양/한국무용)': '무용', // BBBC
  대중무용: '무용', // BBBE (or BBBR)
  '서커스/마술': '전시/행사', // EEEB
  복합: '전시/행사', // EEEA
};

/** A children's show (`child` = Y) goes to `아동/가족`, whatever its genre. An unknown genre keeps its label. */
export function categoryOf(genre: string | undefined, child: string | undefined): string | null {
  if (child === 'Y') return '아동/가족';
  if (genre === undefined) return null;
  return GENRES[genre.replace(/\s+/g, '')] ?? genre;
}

/** Vendors (`site_id`) by the booking URL's host: names vary (인터파크 became 놀유니버스) or are missing. */
export const SITE = { interpark: 1, yes24: 2, ticketlink: 3, melon: 4, other: 99 } as const;

const VENDOR_HOSTS: readonly [RegExp, number][] = [
  [/(^|\.)interpark\.com$/, SITE.interpark],
  [/(^|\.)yes24\.com$/, SITE.yes24],
  [/(^|\.)ticketlink\.co\.kr$/, SITE.ticketlink],
  [/(^|\.)melon\.com$/, SITE.melon],
];

/** The vendor of a booking URL; undefined for something that is not an http(s) URL. */
export function siteOfUrl(url: string): number | undefined {
  let host: string;
  try {
    const u = new URL(url.trim());
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    host = u.hostname.toLowerCase();
  } catch {
    return undefined;
  }
  return VENDOR_HOSTS.find(([pattern]) => pattern.test(host))?.[1] ?? SITE.other;
}
