import { describe, expect, it } from 'vitest';
import { finalConsonant, particle, withParticle } from './korean.js';

describe('Korean particles chosen by the last syllable', () => {
  it('when a word ends in a closed Hangul syllable, then 이, 을, 은, 과 and 으로 follow it', () => {
    expect(withParticle('뮤지컬 〈붉은 서점〉', '이/가')).toBe('뮤지컬 〈붉은 서점〉이');
    expect(particle('서점', '을/를')).toBe('을');
    expect(particle('서점', '은/는')).toBe('은');
    expect(particle('서점', '과/와')).toBe('과');
    expect(particle('서점', '으로/로')).toBe('으로');
  });

  it('when a word ends in an open syllable, then 가, 를, 는, 와 and 로 follow it', () => {
    expect(withParticle('연극 〈작은 고양이〉', '이/가')).toBe('연극 〈작은 고양이〉가');
    expect(particle('고양이', '을/를')).toBe('를');
    expect(particle('고양이', '은/는')).toBe('는');
    expect(particle('고양이', '과/와')).toBe('와');
    expect(particle('바다', '으로/로')).toBe('로');
  });

  it('when the final consonant is ㄹ, then 로 (not 으로) follows, and the other pairs take the closed form', () => {
    expect(particle('서울', '으로/로')).toBe('로');
    expect(particle('서울', '이/가')).toBe('이');
    expect(particle('서울', '을/를')).toBe('을');
  });

  it('when the word ends with brackets, quotes, spaces or punctuation, then the syllable before them decides', () => {
    expect(particle('〈달빛 초상〉', '을/를')).toBe('을');
    expect(particle('「하얀 등대」 ', '이/가')).toBe('가');
    expect(particle('겨울 왕관 (앙코르)', '이/가')).toBe('가');
    expect(particle('무대!', '을/를')).toBe('를');
  });

  it('when the word ends in a digit, then it is read in Sino-Korean (2026 이천이십육, 2 이, 10 십)', () => {
    expect(particle('시즌 2026', '이/가')).toBe('이');
    expect(particle('시즌 2', '이/가')).toBe('가');
    expect(particle('시즌 10', '을/를')).toBe('을');
    expect(particle('넘버 9', '은/는')).toBe('는');
    expect(particle('7', '으로/로')).toBe('로');
  });

  it('when the word ends in Latin letters, then acronyms go by the letters\u2019 names and words by a final l, m, n or ng', () => {
    expect(particle('BTS', '이/가')).toBe('가');
    expect(particle('SM', '이/가')).toBe('이');
    expect(particle('THE MUSICAL', '이/가')).toBe('이');
    expect(particle('Dream', '을/를')).toBe('을');
    expect(particle('Song', '은/는')).toBe('은');
    expect(particle('Cats', '이/가')).toBe('가');
    expect(particle('Hamlet', '을/를')).toBe('를');
  });

  it('when the reading cannot be told, then both forms are written, as Korean does', () => {
    expect(finalConsonant('')).toBeUndefined();
    expect(particle('〈〉', '이/가')).toBe('이(가)');
    expect(particle('★', '을/를')).toBe('을(를)');
    expect(particle('東', '으로/로')).toBe('(으)로');
  });

  it('when the title ends with 展, then it is read 전 (closed)', () => {
    expect(withParticle('고대 이집트 보물 展', '을/를')).toBe('고대 이집트 보물 展을');
  });

  it('every Hangul syllable: the arithmetic agrees with the jamo decomposition (NFD has a final jamo exactly when closed)', () => {
    const disagreeing: string[] = [];
    for (let code = 0xac00; code <= 0xd7a3; code += 1) {
      const syllable = String.fromCodePoint(code);
      const closed = [...syllable.normalize('NFD')].length === 3;
      if ((finalConsonant(syllable) !== 0) !== closed) disagreeing.push(syllable);
    }
    expect(disagreeing).toEqual([]);
  });
});
