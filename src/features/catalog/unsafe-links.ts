import { posterUrlProblem, webLinkProblem } from './links.js';
import type { Performance } from './performance.js';

/** One link field a run held that no frontend may be given. */
export interface UnsafeLink {
  /** `poster_url`, `artist[2].artist_url`, `hosts[0].ticket_url`. */
  field: string;
  value: string;
}

/**
 * The run with every unsafe link set to null, and which links those were. The rest of the run stays:
 * an artist keeps their name, a vendor stays in `hosts` (without a ticket link it is no longer on sale there).
 */
export function withoutUnsafeLinks(run: Performance): { run: Performance; removed: UnsafeLink[] } {
  const removed: UnsafeLink[] = [];
  const keep = (field: string, value: string | null, problem: (v: string) => string | undefined): string | null => {
    if (value === null || typeof value !== 'string' || problem(value) === undefined) return value;
    removed.push({ field, value });
    return null;
  };
  const poster_url = keep('poster_url', run.poster_url, posterUrlProblem);
  const artist = run.artist?.map((a, i) => ({ ...a, artist_url: keep(`artist[${i}].artist_url`, a.artist_url, webLinkProblem) })) ?? null;
  const hosts = run.hosts.map((h, i) => ({ ...h, ticket_url: keep(`hosts[${i}].ticket_url`, h.ticket_url, webLinkProblem) }));
  if (removed.length === 0) return { run, removed };
  return { run: { ...run, poster_url, artist, hosts }, removed };
}
