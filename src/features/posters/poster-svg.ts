import { OPEN_RUN } from '../catalog/index.js';

/** What a poster shows of a run. */
export interface PosterInput {
  id: string;
  title: string;
  category: string | null;
  location: string | null;
  start_date: string;
  end_date: string;
}

/** Size of every poster (the legacy placeholders were 300 × 420 too, so the frontend's cards fit). */
export const POSTER_WIDTH = 300;
export const POSTER_HEIGHT = 420;
/** Bump when the drawing changes: it is part of every poster's version, so caches take the new one. */
export const POSTER_DESIGN = 1;

const MARGIN = 24;
const TEXT_WIDTH = POSTER_WIDTH - 2 * MARGIN;
const FONTS = `'Noto Sans KR','Noto Sans CJK KR','Apple SD Gothic Neo','Malgun Gothic',sans-serif`;

/** Background gradient and the label of each category the frontend knows; others are grey and show their own name. */
const STYLES: Record<string, { from: string; to: string; label: string }> = {
  콘서트: { from: '#3a1c71', to: '#d76d77', label: 'CONCERT · 콘서트' },
  뮤지컬: { from: '#6d0b1c', to: '#e0533d', label: 'MUSICAL · 뮤지컬' },
  연극: { from: '#0f3443', to: '#34a08f', label: 'PLAY · 연극' },
  '뮤지컬/연극': { from: '#4a1942', to: '#c0392b', label: 'STAGE · 뮤지컬/연극' },
  클래식: { from: '#141e30', to: '#35577d', label: 'CLASSIC · 클래식' },
  '전시/행사': { from: '#a8430c', to: '#f2b134', label: 'EXHIBITION · 전시/행사' },
  무용: { from: '#2c1a4d', to: '#7f5fc1', label: 'DANCE · 무용' },
  '아동/가족': { from: '#1d6b3a', to: '#8fd14f', label: 'FAMILY · 아동/가족' },
};
const OTHER = { from: '#2b2b2b', to: '#6b6b6b' };

// Characters XML 1.0 does not allow (control characters, lone surrogates, U+FFFE/U+FFFF): one of
// them in a title would make the whole SVG unreadable, so they are dropped.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe inside an XML element or a double- or single-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** Approximate advance of a character in ems (SVG text does not wrap by itself, so lines are measured here). */
function charEm(c: string): number {
  const code = c.codePointAt(0)!;
  if (code >= 0x1100) return 1; // Hangul, CJK, full-width forms, 〈〉
  if (c === ' ') return 0.3;
  if (/[A-Z0-9]/.test(c)) return 0.66;
  if (/[a-z]/.test(c)) return 0.55;
  return 0.4;
}

const widthEm = (text: string) => [...text].reduce((sum, c) => sum + charEm(c), 0);

/**
 * Greedy line breaking at spaces (a word longer than a line is cut), at most `maxLines` lines; the
 * last one ends in `…` when text is left over.
 */
export function wrapText(text: string, maxEm: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  let overflow = false;
  const push = () => {
    if (lines.length === maxLines) overflow = true;
    else lines.push(line);
    line = '';
  };
  for (const word of text.split(' ').filter((w) => w !== '')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (widthEm(candidate) <= maxEm) {
      line = candidate;
      continue;
    }
    if (line !== '') push();
    for (const c of word) {
      if (widthEm(line + c) > maxEm) push();
      line += c;
    }
    if (overflow) break;
  }
  if (line !== '') push();
  if (overflow && lines.length > 0) {
    let last = lines[lines.length - 1]!;
    while (last.length > 0 && widthEm(`${last}…`) > maxEm) last = [...last].slice(0, -1).join('');
    lines[lines.length - 1] = `${last.trimEnd()}…`;
  }
  return lines;
}

/** `2026.11.28`, `2026.11.28 – 12.31`, `2026.11.28 – 2027.01.03`, or `2026.11.28 ~ 상시공연`. */
export function dateLine(start: string, end: string): string {
  if (end === OPEN_RUN) return `${start} ~ ${OPEN_RUN}`;
  if (end === start) return start;
  return `${start} – ${end.slice(0, 4) === start.slice(0, 4) ? end.slice(5) : end}`;
}

/** 32-bit FNV-1a: a stable number from a string (versions, the decoration of each poster). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The title in the largest size that fits in five lines (smaller sizes allow more). */
function titleLines(title: string): { size: number; lines: string[] } {
  for (const [size, maxLines] of [
    [30, 3],
    [26, 4],
    [22, 5],
  ] as const) {
    const lines = wrapText(title, TEXT_WIDTH / size, maxLines + 1);
    if (lines.length <= maxLines) return { size, lines };
  }
  return { size: 20, lines: wrapText(title, TEXT_WIDTH / 20, 6) };
}

/** A run's poster: its category's colours, the title, the dates and the venue, as a standalone SVG. */
export function renderPosterSvg(run: PosterInput): string {
  const style = (run.category !== null ? STYLES[run.category] : undefined) ?? { ...OTHER, label: run.category ?? 'TicketMoa' };
  const title = run.title.replace(/\s+/g, ' ').trim();
  const seed = fnv1a(run.id);
  // three soft circles placed from the id, so posters of one category still differ
  const circles = [0, 1, 2]
    .map((i) => {
      const bits = (seed >>> (i * 10)) & 0x3ff;
      const cx = 40 + ((bits * 7) % 240);
      const cy = 60 + ((bits * 13) % 320);
      const r = 50 + ((bits >>> 3) % 90);
      return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#ffffff" fill-opacity="${(0.05 + i * 0.03).toFixed(2)}"/>`;
    })
    .join('');
  const { size, lines } = titleLines(title);
  const titleTop = 104;
  const tspans = lines.map((line, i) => `<tspan x="${MARGIN}" y="${titleTop + i * Math.round(size * 1.25)}">${escapeXml(line)}</tspan>`).join('');
  const venue = wrapText((run.location ?? '').replace(/\s+/g, ' ').trim(), TEXT_WIDTH / 13, 2);
  const venueSpans = venue.map((line, i) => `<tspan x="${MARGIN}" y="${368 + i * 17}">${escapeXml(line)}</tspan>`).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${POSTER_WIDTH}" height="${POSTER_HEIGHT}" viewBox="0 0 ${POSTER_WIDTH} ${POSTER_HEIGHT}" role="img" aria-label="${escapeXml(title)}">` +
    `<defs><linearGradient id="bg" x1="0" y1="0" x2="0.6" y2="1"><stop offset="0" stop-color="${style.from}"/><stop offset="1" stop-color="${style.to}"/></linearGradient></defs>` +
    `<rect width="${POSTER_WIDTH}" height="${POSTER_HEIGHT}" fill="url(#bg)"/>${circles}` +
    `<g font-family="${FONTS}" fill="#ffffff">` +
    `<text x="${MARGIN}" y="46" font-size="13" font-weight="700" letter-spacing="1.5" fill-opacity="0.9">${escapeXml(style.label)}</text>` +
    `<rect x="${MARGIN}" y="58" width="40" height="3" fill-opacity="0.9"/>` +
    `<text font-size="${size}" font-weight="800">${tspans}</text>` +
    `<rect x="${MARGIN}" y="330" width="${TEXT_WIDTH}" height="1" fill-opacity="0.5"/>` +
    `<text x="${MARGIN}" y="352" font-size="15" font-weight="700">${escapeXml(dateLine(run.start_date, run.end_date))}</text>` +
    `<text font-size="13" fill-opacity="0.9">${venueSpans}</text>` +
    `<text x="${POSTER_WIDTH - MARGIN}" y="${POSTER_HEIGHT - 14}" font-size="11" text-anchor="end" fill-opacity="0.6">TicketMoa</text>` +
    `</g></svg>`
  );
}
