import type { Performance } from '../catalog/index.js';
import type { SearchDoc } from './search-types.js';

/** What the search index reads of a run; `popularity` is its 7-day views (0 when unknown). */
export function searchDocOf(p: Performance, popularity = 0): SearchDoc {
  const cast = new Set<string>();
  for (const c of p.casting ?? []) {
    if (typeof c.actor === 'string' && c.actor.trim() !== '') cast.add(c.actor);
  }
  return {
    id: p._id,
    title: p.title,
    category: p.category,
    region: p.region,
    location: p.location,
    start_date: p.start_date,
    end_date: p.end_date,
    poster_url: p.poster_url,
    sites: [...new Set(p.hosts.map((h) => h.site_id))].sort((a, b) => a - b),
    hasTicketUrl: p.hosts.some((h) => typeof h.ticket_url === 'string' && h.ticket_url.length > 0),
    artists: (p.artist ?? []).map((a) => a.artist_name).filter((n): n is string => typeof n === 'string' && n.trim() !== ''),
    cast: [...cast],
    description: p.description,
    popularity,
  };
}
