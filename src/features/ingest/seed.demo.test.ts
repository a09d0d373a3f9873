import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, weekendOf } from '../../platform/kst.js';
import { OPEN_RUN, type Performance } from '../catalog/index.js';
import { DEMO_RUNS, DEMO_SEED } from './demo.js';
import { generateCatalogue } from './seed.js';
import { CATEGORY_VENUES, VENUES } from './seed-vocabulary.js';

/** 0 = Monday … 6 = Sunday (2026.11.23 is a Monday). */
const weekday = (day: string) => ((daysBetween('2026.11.23', day) % 7) + 7) % 7;
const playsOn = (run: Performance, day: string) => run.start_date <= day && (run.end_date === OPEN_RUN || run.end_date >= day);

/** The original frontend's "this weekend" tabs and the categories each shows. */
const TABS: Record<string, readonly string[]> = {
  콘서트: ['콘서트'],
  '뮤지컬/연극': ['뮤지컬', '연극', '뮤지컬/연극'],
  '전시/행사': ['전시/행사'],
};

// A Friday, a Saturday, a Sunday, a Monday; a year's end whose weekend is in the next year; a
// Sunday that ends a month; a leap day.
const DAYS = ['2026.11.27', '2026.11.28', '2026.11.29', '2026.11.30', '2026.12.31', '2027.01.31', '2028.02.29'];

describe('the demo catalogue', () => {
  it.each(DAYS)('when generated on %s, then each "this weekend" tab has at least four runs still to come', (today) => {
    const runs = generateCatalogue({ count: DEMO_RUNS, seed: DEMO_SEED, today });
    const { saturday, sunday } = weekendOf(today);
    const ahead = [saturday, sunday].filter((d) => d >= today);
    const onWeekend = runs.filter((r) => ahead.some((d) => playsOn(r, d)));
    for (const [tab, categories] of Object.entries(TABS)) {
      expect(onWeekend.filter((r) => categories.includes(r.category!)).length, tab).toBeGreaterThanOrEqual(4);
    }
    // the musical/play tab holds both musicals and plays
    expect(onWeekend.some((r) => r.category === '뮤지컬')).toBe(true);
    expect(onWeekend.some((r) => r.category === '연극')).toBe(true);
    // and every other category is there too
    expect(new Set(onWeekend.map((r) => r.category))).toEqual(new Set(runs.map((r) => r.category)));
  });

  const runs = generateCatalogue({ count: 3000, seed: 11, today: '2026.11.27' });

  it('when generated, then most concerts play only on Fridays to Sundays, and some on weekdays', () => {
    const concerts = runs.filter((r) => r.category === '콘서트');
    const days = (r: Performance) => Array.from({ length: daysBetween(r.start_date, r.end_date) + 1 }, (_, i) => weekday(addDays(r.start_date, i)));
    const weekendOnly = concerts.filter((r) => days(r).every((d) => d >= 4));
    expect(weekendOnly.length / concerts.length).toBeGreaterThan(0.85);
    expect(weekendOnly.length).toBeLessThan(concerts.length);
    expect(concerts.every((r) => daysBetween(r.start_date, r.end_date) <= 2)).toBe(true);
  });

  it('when generated, then a title names the city of its venue, and each category is held where such shows are', () => {
    const venues = new Map(Object.values(VENUES).flatMap((list) => list.map((v) => [v.name, v] as const)));
    for (const run of runs) {
      const venue = venues.get(run.location!)!;
      expect(venue, run.location!).toBeDefined();
      expect(VENUES[run.region!]!.includes(venue)).toBe(true);
      const city = / - (\S+)$/.exec(run.title)?.[1];
      if (city !== undefined) expect(city, run.title).toBe(venue.city);
      expect(venue.kinds.some((k) => CATEGORY_VENUES[run.category!]!.includes(k)) || venue.kinds.includes('hall')).toBe(true);
      if (run.category === '전시/행사') expect(venue.kinds).toContain('gallery');
    }
    expect(runs.filter((r) => r.category === '콘서트' && / - \S+$/.test(r.title)).length).toBeGreaterThan(100);
  });

  it('when generated, then no performer appears twice in a cast', () => {
    const casts = runs.filter((r) => r.casting !== null).map((r) => r.casting!.map((c) => c.actor));
    expect(casts.length).toBeGreaterThan(1000);
    for (const cast of casts) expect(new Set(cast).size).toBe(cast.length);
  });

  it('when generated, then every run has a poster the service draws, and no demo URL loads from another host', () => {
    for (const run of runs) expect(run.poster_url).toBe(`/posters/${run._id}`);
  });
});
