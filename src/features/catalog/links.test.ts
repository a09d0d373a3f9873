import { describe, expect, it } from 'vitest';
import { makeRun } from '../../test-support/runs.js';
import { isOwnPosterPath, isWebLink, posterUrlProblem, webLinkProblem } from './links.js';
import { withoutUnsafeLinks } from './unsafe-links.js';

const ATTACKS = [
  'javascript:alert(document.cookie)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\nscript:alert(1)',
  'java\tscript:alert(1)',
  '\u0000javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  'ftp://example.com/x',
  '//evil.example/x.jpg',
  'evil.example/x.jpg',
  'https://',
  'http:',
  '/admin',
  '/posters/../admin',
  '/posters/%2e%2e/admin',
  '/posters\\..\\admin',
  '/posters/x y',
];

describe('links served to the frontends', () => {
  it.each(['https://img.example.com/p.jpg', 'http://ticket.yes24.com/Perf/1?x=1#y', 'HTTPS://EXAMPLE.COM', 'https://예스24.kr/공연'])(
    'when the link is %j, then it is a web link',
    (url) => {
      expect(isWebLink(url)).toBe(true);
      expect(webLinkProblem(url)).toBeUndefined();
      expect(posterUrlProblem(url)).toBeUndefined();
    },
  );

  it.each(ATTACKS)('when the link is %j, then it is refused everywhere', (url) => {
    expect(isWebLink(url)).toBe(false);
    expect(isOwnPosterPath(url)).toBe(false);
    expect(webLinkProblem(url)).toBe('must be an absolute http(s) URL');
    expect(posterUrlProblem(url)).toBe('must be an absolute http(s) URL or a /posters/ path');
  });

  it("when a poster is the service's own path, then it is accepted as a poster only", () => {
    expect(posterUrlProblem('/posters/65f1a2b3c4d5e6f708192a3b')).toBeUndefined();
    expect(webLinkProblem('/posters/65f1a2b3c4d5e6f708192a3b')).toBeDefined();
  });

  it('when a link is empty, then it is no link (as null is), not a bad one', () => {
    expect(posterUrlProblem('')).toBeUndefined();
    expect(webLinkProblem('')).toBeUndefined();
  });

  it('when a run holds unsafe links, then only those become null: artists keep their names, vendors their place', () => {
    const run = makeRun({
      poster_url: 'javascript:alert(1)',
      artist: [
        { artist_name: '아이유', artist_url: 'data:text/html,x' },
        { artist_name: '성시경', artist_url: 'https://artist.example.com/s' },
      ],
      hosts: [
        { site_id: 1, ticket_url: 'https://tickets.example.com/1' },
        { site_id: 2, ticket_url: ' javascript:alert(2)' },
      ],
    });
    const { run: clean, removed } = withoutUnsafeLinks(run);
    expect(removed).toEqual([
      { field: 'poster_url', value: 'javascript:alert(1)' },
      { field: 'artist[0].artist_url', value: 'data:text/html,x' },
      { field: 'hosts[1].ticket_url', value: ' javascript:alert(2)' },
    ]);
    expect(clean).toEqual({
      ...run,
      poster_url: null,
      artist: [
        { artist_name: '아이유', artist_url: null },
        { artist_name: '성시경', artist_url: 'https://artist.example.com/s' },
      ],
      hosts: [
        { site_id: 1, ticket_url: 'https://tickets.example.com/1' },
        { site_id: 2, ticket_url: null },
      ],
    });
  });

  it('when a run holds only safe links, then it is the same run', () => {
    const run = makeRun({ poster_url: '/posters/65f1a2b3c4d5e6f708192a3b' });
    expect(withoutUnsafeLinks(run)).toEqual({ run, removed: [] });
  });
});
