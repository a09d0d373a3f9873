import type { Performance } from '../catalog/index.js';
import { generateCatalogue } from '../ingest/index.js';
import type { SearchContext, SearchDoc, SearchParams } from './search-types.js';

/** A run of the catalogue as the index sees it (what the service does, with popularity given). */
export function toSearchDoc(run: Performance, popularity = 0): SearchDoc {
  return {
    id: run._id,
    title: run.title,
    category: run.category,
    region: run.region,
    location: run.location,
    start_date: run.start_date,
    end_date: run.end_date,
    poster_url: run.poster_url,
    sites: [...new Set(run.hosts.map((h) => h.site_id))].sort((a, b) => a - b),
    hasTicketUrl: run.hosts.some((h) => h.ticket_url !== null),
    artists: (run.artist ?? []).flatMap((a) => (a.artist_name ? [a.artist_name] : [])),
    cast: [...new Set((run.casting ?? []).flatMap((c) => (c.actor ? [c.actor] : [])))],
    description: run.description,
    popularity,
  };
}

/** The synthetic catalogue of `count` runs as search docs, with made-up but fixed popularity. */
export function seededDocs(count: number, today = '2026.12.03', seed = 7): SearchDoc[] {
  return generateCatalogue({ count, seed, today }).map((run, i) => toSearchDoc(run, (i * 7919) % 97 === 0 ? 0 : ((i * 2654435761) >>> 0) % 500));
}

/** A Thursday: the weekend is the 5th and 6th. */
export const CONTEXT: SearchContext = { today: '2026.12.03', saturday: '2026.12.05', sunday: '2026.12.06', monthEnd: '2026.12.31' };

export const params = (q: string, more: Partial<SearchParams> = {}): SearchParams => ({
  q,
  categories: [],
  regions: [],
  vendors: [],
  onSale: false,
  sort: q.trim() === '' ? 'date' : 'relevance',
  page: 1,
  size: 20,
  ...more,
});
