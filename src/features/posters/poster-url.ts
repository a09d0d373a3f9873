import type { PerformanceSummary } from '../catalog/index.js';
import { POSTER_PATH_PREFIX, posterPath } from './poster-path.js';
import { fnv1a, POSTER_DESIGN, type PosterInput } from './poster-svg.js';

/**
 * A poster's version: changes when what it shows (or the drawing) changes. Served URLs carry it
 * (`?v=`), so a browser may keep a poster for a year and still sees a renamed run's new one.
 */
export function posterVersion(run: PosterInput): string {
  const shown = [POSTER_DESIGN, run.id, run.title, run.category, run.location, run.start_date, run.end_date].join('\u0000');
  return fnv1a(shown).toString(16).padStart(8, '0');
}

/**
 * What list items and details show as `poster_url`: a run's own poster path (`/posters/{id}`, what
 * the demo stores) becomes an absolute, versioned URL under `publicUrl`, resolved when served so
 * that changing PUBLIC_URL needs no re-seed; another relative path under `/posters/` gets the
 * origin only; any other value (an imported run's own poster URL, or null) is served as it is.
 */
export function posterUrls(publicUrl: string): (run: PerformanceSummary) => string | null {
  const base = publicUrl.replace(/\/+$/, '');
  return (run) => {
    const stored = run.poster_url;
    if (stored === null || !stored.startsWith(POSTER_PATH_PREFIX)) return stored;
    if (stored !== posterPath(run.id)) return `${base}${stored}`;
    return `${base}${stored}?v=${posterVersion(run)}`;
  };
}
