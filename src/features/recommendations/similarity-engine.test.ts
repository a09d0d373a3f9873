import { describe, expect, it } from 'vitest';
import { similarRuns, type SimilarityDoc } from './similarity-engine.js';
import { countGrams, normaliseText } from './text-vectors.js';

const doc = (id: string, text: string, start = '2026.12.01', region: string | null = '서울'): SimilarityDoc => ({
  id,
  region,
  start_date: start,
  text,
});

const CHOPIN = '쇼팽 피아노 리사이틀 쇼팽의 발라드와 녹턴, 폴로네즈를 연주하는 피아니스트의 독주회 클래식';
const CHOPIN_OTHER = '조성진 쇼팽 리사이틀 쇼팽 녹턴 발라드 전곡 피아노 독주회 클래식 공연';
const ROCK = '록 페스티벌 밴드 라이브 기타 드럼 헤드뱅잉 스탠딩 콘서트';
const MUSICAL = '뮤지컬 오페라의 유령 오리지널 내한 무대 배우 노래';

describe('similar runs', () => {
  it('when a recital is about the same composer, then it ranks above an unrelated rock concert', async () => {
    const lists = await similarRuns([
      doc('a', CHOPIN),
      doc('b', ROCK, '2026.12.02'),
      doc('c', CHOPIN_OTHER, '2026.12.20'),
      doc('d', MUSICAL, '2026.12.03'),
    ]);
    const forA = lists.get('a')!;
    expect(forA[0]).toBe('c');
    expect(forA.indexOf('c')).toBeLessThan(forA.indexOf('b'));
  });

  it('when runs are in another region, start beyond 90 days or earlier, then they never appear', async () => {
    const lists = await similarRuns([
      doc('self', CHOPIN, '2026.12.01'),
      doc('other-region', CHOPIN_OTHER, '2026.12.05', '경상'),
      doc('day-90', ROCK, '2027.03.01'),
      doc('day-91', CHOPIN_OTHER, '2027.03.02'),
      doc('earlier', CHOPIN_OTHER, '2026.11.30'),
      doc('same-day', MUSICAL, '2026.12.01'),
    ]);
    expect(lists.get('self')).toEqual(['same-day', 'day-90']);
    // the window is [start, start + 90 days] inclusive, and the same day counts both ways
    expect(lists.get('same-day')).toEqual(['self', 'day-90']);
    expect(lists.get('earlier')).toEqual(['self', 'same-day']); // day-90 is 91 days after it
  });

  it('when a run is a near-duplicate (same show at another venue) or itself, then it never appears', async () => {
    const lists = await similarRuns([doc('a', CHOPIN), doc('a-again', `${CHOPIN} `, '2026.12.10'), doc('c', CHOPIN_OTHER, '2026.12.20')]);
    expect(lists.get('a')).toEqual(['c']);
    expect(lists.get('a')).not.toContain('a');
  });

  it('when several runs qualify, then at most 3 come back, most similar first', async () => {
    const lists = await similarRuns([
      doc('a', CHOPIN),
      doc('rock', ROCK, '2026.12.02'),
      doc('chopin2', CHOPIN_OTHER, '2026.12.03'),
      doc('musical', MUSICAL, '2026.12.04'),
      doc('piano', '피아노 독주회 베토벤 소나타', '2026.12.05'),
    ]);
    const list = lists.get('a')!;
    expect(list).toHaveLength(3);
    expect(list.slice(0, 2)).toEqual(['chopin2', 'piano']);
  });

  it('when a long text has many words no other run uses, then the shared words still decide', async () => {
    const unique = Array.from({ length: 300 }, (_, i) => String.fromCharCode(0xac00 + ((i * 37) % 11172), 0xac00 + ((i * 91 + 5) % 11172))).join(' ');
    const lists = await similarRuns(
      [doc('long', `${unique} 쇼팽 녹턴 피아노`), doc('rock', ROCK, '2026.12.02'), doc('chopin', '쇼팽 녹턴 피아노 리사이틀', '2026.12.03')],
      { maxFeatures: 8 },
    );
    expect(lists.get('long')).toEqual(['chopin', 'rock']);
  });

  it('when two long texts are the same show, then it is a near-duplicate even beyond the strongest n-grams', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `${CHOPIN.split(' ')[i % 8]}${i}`).join(' ');
    const lists = await similarRuns(
      [doc('a', long), doc('a-elsewhere', long, '2026.12.02'), doc('c', `${CHOPIN_OTHER} ${long.slice(0, 60)}`, '2026.12.03')],
      { maxFeatures: 8 },
    );
    expect(lists.get('a')).toEqual(['c']);
  });

  it('when runs have no text, then they still get candidates, earliest start then id first', async () => {
    const lists = await similarRuns([
      doc('z', ''),
      doc('y', '', '2026.12.03'),
      doc('x', '', '2026.12.02'),
      doc('w', '', '2026.12.02'),
      doc('v', '', '2026.12.04'),
    ]);
    expect(lists.get('z')).toEqual(['w', 'x', 'y']);
  });

  it('when the region is unknown, then only runs with an unknown region are candidates', async () => {
    const lists = await similarRuns([
      doc('a', CHOPIN, '2026.12.01', null),
      doc('b', CHOPIN_OTHER, '2026.12.02', '서울'),
      doc('c', ROCK, '2026.12.02', null),
    ]);
    expect(lists.get('a')).toEqual(['c']);
  });

  it('when the input order changes, then the lists are the same', async () => {
    const docs = [doc('a', CHOPIN), doc('b', ROCK), doc('c', CHOPIN_OTHER), doc('d', MUSICAL), doc('e', ROCK)];
    const forward = await similarRuns(docs);
    const backward = await similarRuns([...docs].reverse());
    expect(Object.fromEntries(backward)).toEqual(Object.fromEntries(forward));
  });
});

describe('character n-grams', () => {
  it('when text has punctuation and capitals, then it is normalised to lower-case words', () => {
    expect(normaliseText('  Chopin,  쇼팽!! (2026) ')).toBe('chopin 쇼팽 2026');
  });

  it('when a word is counted, then its padded 2- and 3-grams are features', () => {
    const grams = new Map<number, number>();
    countGrams('쇼팽', grams);
    // " 쇼", "쇼팽", "팽 " and " 쇼팽", "쇼팽 "
    expect(grams.size).toBe(5);
  });
});
