import { describe, expect, it } from 'vitest';
import { isDottedDate } from '../../platform/kst.js';
import { OBJECT_ID } from '../../platform/ids.js';
import { duplicateKey, OPEN_RUN, parsePerformance } from '../catalog/index.js';
import { generateCatalogue } from './seed.js';

const today = '2026.11.27';

describe('the synthetic catalogue', () => {
  const runs = generateCatalogue({ count: 3000, seed: 7, today });

  it('when generated twice with the same seed, then the output is identical', () => {
    expect(generateCatalogue({ count: 3000, seed: 7, today })).toEqual(runs);
  });

  it('when the seed differs, then the catalogue differs', () => {
    const other = generateCatalogue({ count: 3000, seed: 8, today });
    expect(other.map((r) => r.title)).not.toEqual(runs.map((r) => r.title));
    const ids = new Set(runs.map((r) => r._id));
    expect(other.filter((r) => ids.has(r._id))).toEqual([]);
  });

  it('when generated, then every run is a valid document with a unique id and duplicatekey', () => {
    for (const run of runs) {
      const parsed = parsePerformance(run);
      expect(parsed.ok ? parsed.value : parsed.reason).toEqual(run);
      expect(run._id).toMatch(OBJECT_ID);
      expect(run.duplicatekey).toBe(duplicateKey(run.title, run.start_date));
    }
    expect(new Set(runs.map((r) => r._id)).size).toBe(runs.length);
    expect(new Set(runs.map((r) => r.duplicatekey)).size).toBe(runs.length);
  });

  it('when generated, then start dates spread from about 120 days before today to 180 days after', () => {
    const starts = runs.map((r) => r.start_date).sort();
    expect(starts.every(isDottedDate)).toBe(true);
    expect(starts[0]! >= '2026.07.30' && starts[0]! < '2026.08.10').toBe(true);
    expect(starts.at(-1)! <= '2027.05.26' && starts.at(-1)! > '2027.05.15').toBe(true);
    expect(runs.some((r) => r.start_date < today && r.end_date >= today)).toBe(true);
  });

  it('when generated, then about 40% of runs are exclusive and every vendor appears', () => {
    const exclusive = runs.filter((r) => r.hosts.length === 1).length / runs.length;
    expect(exclusive).toBeGreaterThan(0.35);
    expect(exclusive).toBeLessThan(0.45);
    const sites = new Set(runs.flatMap((r) => r.hosts.map((h) => h.site_id)));
    expect([...sites].sort()).toEqual([1, 2, 3]);
    expect(runs.some((r) => r.hosts.some((h) => h.ticket_url === null))).toBe(true);
  });

  it('when generated, then the catalogue looks like the real one: open runs, categories, regions, casting, text', () => {
    expect(runs.filter((r) => r.end_date === OPEN_RUN).length).toBeGreaterThan(30);
    const share = (pred: (r: (typeof runs)[number]) => boolean) => runs.filter(pred).length / runs.length;
    expect(share((r) => r.region === '서울' || r.region === '수도권')).toBeGreaterThan(0.5);
    expect(new Set(runs.map((r) => r.region))).toEqual(new Set(['서울', '수도권', '경상', '전라', '강원', '충청', '제주']));
    expect(new Set(runs.map((r) => r.category))).toEqual(
      new Set(['콘서트', '뮤지컬', '연극', '뮤지컬/연극', '전시/행사', '클래식', '무용', '아동/가족']),
    );
    expect(runs.filter((r) => r.category === '뮤지컬').every((r) => (r.casting?.length ?? 0) > 0)).toBe(true);
    expect(share((r) => r.poster_url !== null)).toBeGreaterThan(0.85);
    const lengths = runs.map((r) => r.description?.length ?? 0);
    expect(lengths.filter((n) => n === 0).length).toBeGreaterThan(0);
    expect(Math.max(...lengths)).toBeGreaterThan(1500);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(2000);
  });

  it('when a synopsis names its title with a particle, then the particle fits the last syllable (no "이(가)" or "을(를)")', () => {
    const texts = runs.map((r) => r.description ?? '');
    expect(texts.filter((t) => /\((가|를|이|을)\)/.test(t))).toEqual([]);
    // checked independently of the arithmetic: a closed syllable decomposes (NFD) into three jamo
    const lastSyllable = (title: string) => [...title].reverse().find((c) => /\p{Script=Hangul}/u.test(c));
    const subjects = runs.flatMap((r) => {
      const m = r.description?.startsWith(r.title) ? /^(이|가) /.exec(r.description.slice(r.title.length)) : null;
      return m && !r.title.endsWith('展') ? [{ title: r.title, particle: m[1] }] : [];
    });
    expect(subjects.length).toBeGreaterThan(20);
    for (const { title, particle } of subjects) {
      expect(particle, title).toBe([...lastSyllable(title)!.normalize('NFD')].length === 3 ? '이' : '가');
    }
    expect(texts.some((t) => t.includes('〉을 소개합니다'))).toBe(true);
    expect(texts.some((t) => t.includes('〉를 소개합니다'))).toBe(true);
    expect(texts.some((t) => t.includes('展을 소개합니다'))).toBe(true);
  });
});
