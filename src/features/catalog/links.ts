/**
 * The service's own posters: stored relative (`/posters/{id}`) and made absolute under PUBLIC_URL
 * when served (the posters feature draws them).
 */
export const OWN_POSTER_PREFIX = '/posters/';

/** Any origin: only the path of a relative value is looked at. */
const PROBE_BASE = 'http://probe.invalid';

/**
 * A link every frontend may put in `href` or `src`: an absolute `http:` or `https:` URL with a host,
 * as browsers parse it (WHATWG URL). `javascript:`, `data:`, `vbscript:` and anything unparsable
 * are not; a browser would run or render them.
 */
export function isWebLink(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

/** The service's own poster path (`/posters/…`), which stays under `/posters/` once resolved. */
export function isOwnPosterPath(value: string): boolean {
  if (!value.startsWith(OWN_POSTER_PREFIX) || value.includes('\\') || /[\s\u0000-\u001f\u007f]/.test(value)) return false;
  const url = new URL(value, PROBE_BASE);
  return url.origin === PROBE_BASE && url.pathname.startsWith(OWN_POSTER_PREFIX);
}

/** What a bad link field is told; undefined for a good one. `''` is no link at all, as null is. */
export function posterUrlProblem(value: string): string | undefined {
  if (value === '' || isWebLink(value) || isOwnPosterPath(value)) return undefined;
  return `must be an absolute http(s) URL or a ${OWN_POSTER_PREFIX} path`;
}

export function webLinkProblem(value: string): string | undefined {
  if (value === '' || isWebLink(value)) return undefined;
  return 'must be an absolute http(s) URL';
}
