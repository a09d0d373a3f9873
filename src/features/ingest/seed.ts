import { addDays, isDottedDate } from '../../platform/kst.js';
import { withParticle, type Particle } from '../../platform/korean.js';
import { duplicateKey, OPEN_RUN, type Artist, type Casting, type Host, type Performance, type Price } from '../catalog/index.js';
import { posterPath } from '../posters/index.js';
import { concertDates, runStart } from './seed-dates.js';
import { createRandom, type Random } from './seed-random.js';
import * as V from './seed-vocabulary.js';

export interface SeedOptions {
  count: number;
  seed: number;
  /** KST calendar day the dates are spread around, `YYYY.MM.DD`. */
  today: string;
}

/** Share of runs sold by exactly one vendor (the rest by two or three). */
export const EXCLUSIVE_SHARE = 0.4;
const SITE_WEIGHTS: readonly [number, number][] = [
  [1, 55],
  [2, 25],
  [3, 20],
];

const won = (n: number) => `${String(n).replace(/\B(?=(\d{3})+$)/g, ',')}원`;

function personName(r: Random): string {
  return r.pick(V.SURNAMES) + r.pick(V.GIVEN_SYLLABLES) + r.pick(V.GIVEN_SYLLABLES);
}

function actName(r: Random): string {
  const kind = r.next();
  if (kind < 0.45) return personName(r);
  if (kind < 0.8) return `${r.pick(V.BAND_FIRST)}${r.pick(V.BAND_SECOND)}`;
  return r.pick(V.LATIN_ACTS);
}

const showTitle = (r: Random) => `${r.pick(V.TITLE_FIRST)} ${r.pick(V.TITLE_SECOND)}`;

interface Shape {
  title: string;
  artist: Artist[] | null;
  casting: Casting[] | null;
  price: Price[];
  days: number;
  openRun: boolean;
  runningTime: string;
}

/** Where a run is held, as its title may name it. */
interface Place {
  region: string;
  venue: V.Venue;
  /** The year of its first day (tour titles carry it). */
  year: string;
}

/** One of the names that are based in `region` or tour. */
const localOrTouring = (r: Random, names: readonly (readonly [string, string | null])[], region: string) =>
  r.pick(names.filter(([, home]) => home === null || home === region))[0];

function shapeOf(category: string, r: Random, place: Place): Shape {
  // a performer appears once in a cast; a role may have several (double casting)
  const cast = (n: number): Casting[] => {
    const actors = new Set<string>();
    while (actors.size < n) actors.add(personName(r));
    return [...actors].map((actor) => ({ actor, role: r.pick(V.ROLES) }));
  };
  switch (category) {
    case '콘서트': {
      const act = actName(r);
      const tour = r.chance(0.5) ? `${place.year} ${act} 전국투어 콘서트` : `${act} 단독 콘서트`;
      return {
        // the city is the venue's: a title and its venue agree
        title: `${tour} 〈${r.pick(V.CONCERT_SUBTITLES)}〉 - ${place.venue.city}`,
        artist: [{ artist_name: act, artist_url: r.chance(0.6) ? `https://www.instagram.com/${r.hex(8)}` : null }],
        casting: null,
        price: [
          { seat: 'VIP석', price: won(r.int(13, 19) * 11_000) },
          { seat: 'R석', price: won(r.int(9, 13) * 11_000) },
        ],
        days: 0, // a concert's days come from its week slot (seed-dates.ts)
        openRun: false,
        runningTime: `${r.int(9, 15) * 10}분`,
      };
    }
    case '뮤지컬':
    case '뮤지컬/연극':
    case '연극': {
      const musical = category !== '연극' && (category === '뮤지컬' || r.chance(0.5));
      return {
        title: `${musical ? '뮤지컬' : '연극'} 〈${showTitle(r)}〉${r.chance(0.15) ? ' 10주년 기념 공연' : ''}`,
        artist: null,
        casting: cast(r.int(3, 8)),
        price: musical
          ? [
              { seat: 'VIP석', price: won(r.int(15, 19) * 10_000) },
              { seat: 'R석', price: won(r.int(11, 14) * 10_000) },
              { seat: 'S석', price: won(r.int(7, 10) * 10_000) },
            ]
          : [{ seat: '전석', price: won(r.int(3, 6) * 10_000) }],
        days: r.int(20, 150),
        openRun: !musical && r.chance(0.2),
        runningTime: `${r.int(9, 17) * 10}분${musical ? ' (인터미션 20분 포함)' : ''}`,
      };
    }
    case '클래식': {
      const solo = r.chance(0.5);
      const player = personName(r);
      return {
        title: solo
          ? `${player} ${r.pick(V.INSTRUMENTS)} 리사이틀`
          : `${localOrTouring(r, V.ORCHESTRAS, place.region)} 제${r.int(300, 900)}회 정기연주회`,
        artist: [{ artist_name: solo ? player : personName(r), artist_url: null }],
        casting: null,
        price: [
          { seat: 'R석', price: won(r.int(6, 15) * 10_000) },
          { seat: 'S석', price: won(r.int(3, 5) * 10_000) },
        ],
        days: r.int(0, 1),
        openRun: false,
        runningTime: `${r.int(9, 12) * 10}분`,
      };
    }
    case '전시/행사':
      return {
        title: `${r.pick(V.EXHIBITION_THEMES)} ${r.chance(0.5) ? '특별전' : '展'}`,
        artist: null,
        casting: null,
        price: [
          { seat: '성인', price: won(r.int(15, 25) * 1_000) },
          { seat: '청소년', price: won(r.int(10, 15) * 1_000) },
        ],
        days: r.int(30, 150),
        openRun: r.chance(0.12),
        runningTime: '자유관람',
      };
    case '무용':
      return {
        title: `${localOrTouring(r, V.DANCE_COMPANIES, place.region)} 〈${showTitle(r)}〉`,
        artist: null,
        casting: cast(r.int(2, 4)),
        price: [{ seat: 'R석', price: won(r.int(5, 10) * 10_000) }],
        days: r.int(1, 5),
        openRun: false,
        runningTime: `${r.int(7, 12) * 10}분`,
      };
    default:
      return {
        title: `어린이 뮤지컬 〈${showTitle(r)}〉`,
        artist: null,
        casting: cast(r.int(2, 5)),
        price: [{ seat: '전석', price: won(r.int(2, 4) * 10_000) }],
        days: r.int(10, 90),
        openRun: r.chance(0.25),
        runningTime: `${r.int(5, 8) * 10}분`,
      };
  }
}

function description(r: Random, title: string, venue: string): string | null {
  const kind = r.next();
  if (kind < 0.12) return null;
  const sentences = kind < 0.4 ? r.int(1, 2) : kind < 0.8 ? r.int(4, 10) : r.int(25, 55);
  const values: Record<string, string> = { title, venue };
  const fill = (s: string) =>
    s.replace(/\{(\w+)(?::([^}]+))?\}/g, (_m, name: string, pair?: string) => {
      const value = values[name] ?? '';
      return pair === undefined ? value : withParticle(value, pair as Particle);
    });
  const parts = [fill(r.pick(V.DESCRIPTION_OPENINGS))];
  for (let i = 1; i < sentences - 1; i += 1) parts.push(r.pick(V.DESCRIPTION_MIDDLES));
  if (sentences > 1) parts.push(r.pick(V.DESCRIPTION_ENDINGS));
  return parts.join(kind < 0.8 ? ' ' : r.chance(0.3) ? '\n\n' : ' ').slice(0, 2_000);
}

const TICKET_URL: Record<number, (r: Random) => string> = {
  1: (r) => `https://tickets.interpark.com/goods/${r.int(20_000_000, 26_999_999)}`,
  2: (r) => `http://ticket.yes24.com/Perf/${r.int(40_000, 59_999)}`,
  3: (r) => `https://www.ticketlink.co.kr/product/${r.int(40_000, 59_999)}`,
};

function hosts(r: Random): Host[] {
  const sites = new Set<number>([r.weighted(SITE_WEIGHTS)]);
  if (!r.chance(EXCLUSIVE_SHARE)) {
    const wanted = r.chance(0.6) ? 2 : 3;
    while (sites.size < wanted) sites.add(r.weighted(SITE_WEIGHTS));
  }
  return [...sites].sort((a, b) => a - b).map((site_id) => ({ site_id, ticket_url: r.chance(0.08) ? null : TICKET_URL[site_id]!(r) }));
}

/**
 * Runs per category placed on this weekend (Saturday or Sunday of today's Monday–Sunday week),
 * before the rest of the catalogue: the home page's "this weekend" tabs (콘서트; 뮤지컬/연극;
 * 전시/행사) show four each, and a fresh demo should fill them.
 */
export const WEEKEND_RUNS: readonly (readonly [string, number])[] = [
  ['콘서트', 6],
  ['뮤지컬', 5],
  ['연극', 5],
  ['전시/행사', 5],
  ['뮤지컬/연극', 2],
  ['클래식', 2],
  ['아동/가족', 2],
  ['무용', 1],
];
const WEEKEND_CATEGORIES = WEEKEND_RUNS.flatMap(([category, n]) => Array.from({ length: n }, () => category));

/** A venue of the region where such runs are held (its halls when it has none). */
function venueFor(r: Random, category: string, region: string): V.Venue {
  const venues = V.VENUES[region]!;
  const kinds = V.CATEGORY_VENUES[category] ?? ['hall'];
  const fitting = venues.filter((venue) => venue.kinds.some((k) => kinds.includes(k)));
  return r.pick(fitting.length > 0 ? fitting : venues.filter((venue) => venue.kinds.includes('hall')));
}

/**
 * A realistic synthetic Korean catalogue, the same for the same options. Start dates spread
 * from 120 days before to 180 days after `today`; concerts mostly fall on Fridays to Sundays;
 * the first runs (`WEEKEND_RUNS`) play on this weekend; titles name the venue's city; every run
 * has a poster served by the service (`/posters/{id}`); duplicatekeys are unique.
 */
export function generateCatalogue(opts: SeedOptions): Performance[] {
  if (!isDottedDate(opts.today)) throw new Error(`today must be YYYY.MM.DD (got ${opts.today})`);
  const r = createRandom(opts.seed);
  const idPrefix = (Math.floor(Date.parse(opts.today.replaceAll('.', '-')) / 1000) >>> 0).toString(16).padStart(8, '0');
  const keys = new Set<string>();
  const out: Performance[] = [];
  for (let n = 0; n < opts.count; n += 1) {
    const thisWeekend = n < WEEKEND_CATEGORIES.length;
    const category = thisWeekend ? WEEKEND_CATEGORIES[n]! : r.weighted(V.CATEGORY_SHARES);
    const region = r.weighted(V.REGION_SHARES);
    const venue = venueFor(r, category, region);
    const concert = category === '콘서트' ? concertDates(r, opts.today, thisWeekend) : undefined;
    const shape = shapeOf(category, r, { region, venue, year: (concert?.start ?? opts.today).slice(0, 4) });
    const days = concert?.days ?? shape.days;
    const start = concert?.start ?? runStart(r, opts.today, days, thisWeekend);
    let title = shape.title;
    let key = duplicateKey(title, start);
    for (let again = 2; keys.has(key); again += 1) {
      title = `${shape.title} (${again}차)`;
      key = duplicateKey(title, start);
    }
    keys.add(key);
    const id = idPrefix + r.hex(16);
    const openDate = r.chance(0.7) ? addDays(start, -r.int(14, 45)) : null;
    out.push({
      _id: id,
      title,
      duplicatekey: key,
      category,
      location: venue.name,
      region,
      price: r.chance(0.93) ? shape.price : null,
      start_date: start,
      end_date: shape.openRun ? OPEN_RUN : addDays(start, days),
      running_time: r.chance(0.9) ? shape.runningTime : null,
      rating: r.pick(V.RATINGS),
      casting: shape.casting,
      artist: shape.artist,
      description: description(r, title, venue.name),
      poster_url: posterPath(id),
      open_date: openDate ? `${openDate} ${r.pick(['10:00', '11:00', '14:00', '20:00'])}` : null,
      pre_open_date: openDate && r.chance(0.25) ? `${addDays(openDate, -1)} 14:00` : null,
      hosts: hosts(r),
    });
  }
  return out;
}
