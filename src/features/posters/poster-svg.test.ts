import { describe, expect, it } from 'vitest';
import type { PerformanceSummary } from '../catalog/index.js';
import { dateLine, escapeXml, renderPosterSvg, wrapText } from './poster-svg.js';
import { posterUrls, posterVersion } from './poster-url.js';

const run = (over: Partial<PerformanceSummary> = {}): PerformanceSummary => ({
  id: '6929a8c0aaaaaaaaaaaaaaaa',
  title: '뮤지컬 〈붉은 편지〉',
  category: '뮤지컬',
  location: '샤롯데씨어터',
  region: '서울',
  poster_url: '/posters/6929a8c0aaaaaaaaaaaaaaaa',
  start_date: '2026.11.28',
  end_date: '2027.02.28',
  sites: [1],
  hasTicketUrl: true,
  artistNames: [],
  ...over,
});

/** Every text node and attribute value of the SVG, unescaped: what a viewer would show. */
const texts = (svg: string) => [...svg.matchAll(/>([^<]+)</g)].map((m) => m[1]!);

describe('a poster', () => {
  it('when drawn, then it is a 300 × 420 SVG with the title, the category, the dates and the venue', () => {
    const svg = renderPosterSvg(run());
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="300" height="420" viewBox="0 0 300 420"/);
    // the title in lines that fit the width (at 30 px, about eight Hangul syllables)
    expect(texts(svg)).toEqual(['MUSICAL · 뮤지컬', '뮤지컬 〈붉은', '편지〉', '2026.11.28 – 2027.02.28', '샤롯데씨어터', 'TicketMoa']);
  });

  it('when the title holds markup, quotes or ampersands, then they are text, never markup', () => {
    const svg = renderPosterSvg(
      run({ title: `<script>alert(1)</script> "Tom & Jerry's" <img src=x onerror=alert(1)>`, location: '<b>홀</b> & "A"' }),
    );
    expect(svg).not.toMatch(/<script|<img|<b>|onerror=alert\(1\)>/);
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('Tom &amp; Jerry&apos;s');
    expect(svg).toContain('&lt;b&gt;홀&lt;/b&gt; &amp; &quot;A&quot;');
    // only our own elements
    expect(new Set([...svg.matchAll(/<([a-zA-Z]+)/g)].map((m) => m[1]))).toEqual(
      new Set(['svg', 'defs', 'linearGradient', 'stop', 'rect', 'circle', 'g', 'text', 'tspan']),
    );
  });

  it('when the title holds characters XML forbids, then they are dropped and the document stays well-formed', () => {
    expect(escapeXml('a\u0000b\u0008c\uFFFEd\uD800e\u000Bf\u{1F3AD}')).toBe('abcdef\u{1F3AD}');
  });

  it('when the title is long, then it wraps within the poster and ends in an ellipsis', () => {
    const lines = wrapText('가'.repeat(500), 10, 4);
    expect(lines).toHaveLength(4);
    expect(lines.at(-1)!.endsWith('…')).toBe(true);
    expect(wrapText('2026 새벽밴드 전국투어 콘서트', 10, 4)).toEqual(['2026 새벽밴드', '전국투어 콘서트']);
    const svg = renderPosterSvg(run({ title: '아주 긴 제목 '.repeat(80) }));
    expect(svg.length).toBeLessThan(6_000);
    expect(svg).toContain('…');
  });

  it('when a run is open or plays one day, then the dates say so', () => {
    expect(dateLine('2026.11.28', '상시공연')).toBe('2026.11.28 ~ 상시공연');
    expect(dateLine('2026.11.28', '2026.11.28')).toBe('2026.11.28');
    expect(dateLine('2026.11.28', '2026.11.29')).toBe('2026.11.28 – 11.29');
  });

  it('when the category is one the frontend does not know, then the poster still draws and names it', () => {
    expect(texts(renderPosterSvg(run({ category: '국악' })))).toContain('국악');
    expect(texts(renderPosterSvg(run({ category: null, location: null })))).toContain('TicketMoa');
  });
});

describe('served poster URLs', () => {
  it("when a run stores the service's poster path, then it is served absolute under PUBLIC_URL with its version", () => {
    const served = posterUrls('https://tickets.example.com/moa/')(run());
    expect(served).toBe(`https://tickets.example.com/moa/posters/6929a8c0aaaaaaaaaaaaaaaa?v=${posterVersion(run())}`);
    // another PUBLIC_URL, the same stored run: no re-seed needed
    expect(posterUrls('http://localhost:8000')(run())).toMatch(/^http:\/\/localhost:8000\/posters\/6929a8c0aaaaaaaaaaaaaaaa\?v=[0-9a-f]{8}$/);
  });

  it('when an imported run has its own poster URL, or none, then it is served as stored', () => {
    const resolve = posterUrls('https://tickets.example.com');
    expect(resolve(run({ poster_url: 'http://tkfile.yes24.com/upload2/PerfBlog/202611/p.jpg' }))).toBe(
      'http://tkfile.yes24.com/upload2/PerfBlog/202611/p.jpg',
    );
    expect(resolve(run({ poster_url: null }))).toBeNull();
  });

  it('when what a poster shows changes, then its version changes; when nothing shown changes, it stays', () => {
    const v = posterVersion(run());
    expect(posterVersion(run({ title: '뮤지컬 〈붉은 편지〉 앵콜' }))).not.toBe(v);
    expect(posterVersion(run({ end_date: '2027.03.01' }))).not.toBe(v);
    expect(posterVersion(run({ sites: [1, 2], hasTicketUrl: false }))).toBe(v);
  });

  it('when many posters are drawn, then each takes well under a millisecond', () => {
    const began = performance.now();
    for (let i = 0; i < 2000; i += 1) renderPosterSvg(run({ id: i.toString(16).padStart(24, '0') }));
    expect((performance.now() - began) / 2000).toBeLessThan(1);
  });
});
