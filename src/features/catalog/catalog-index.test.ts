import { describe, expect, it } from 'vitest';
import { KeywordIndex } from './catalog-index.js';
import { summarize } from './performance.js';
import { makeRun } from '../../test-support/runs.js';

const titles = ['뮤지컬 레미제라블', '아이유 콘서트 HEREH', '연극 햄릿', 'Phantom of the Opera', 'a.*b (special)'];
const runs = titles.map((title) => summarize(makeRun({ title })));
runs[2]!.artistNames = ['조승우'];
const index = new KeywordIndex(runs);
const titlesOf = (hits: number[]) => hits.map((i) => runs[i]!.title);

describe('keyword index', () => {
  it('when the keyword is one Korean syllable, then it matches any title containing it', () => {
    expect(titlesOf(index.match('햄'))).toEqual(['연극 햄릿']);
    expect(titlesOf(index.match('극'))).toEqual(['연극 햄릿']);
  });

  it('when the keyword is two syllables, then it matches as a substring', () => {
    expect(titlesOf(index.match('뮤지'))).toEqual(['뮤지컬 레미제라블']);
    expect(titlesOf(index.match('콘서'))).toEqual(['아이유 콘서트 HEREH']);
  });

  it('when the keyword names an artist, then the artist runs match', () => {
    expect(titlesOf(index.match('승우'))).toEqual(['연극 햄릿']);
  });

  it('when the case differs, then it still matches', () => {
    expect(titlesOf(index.match('PHANTOM'))).toEqual(['Phantom of the Opera']);
    expect(titlesOf(index.match('hereh'))).toEqual(['아이유 콘서트 HEREH']);
  });

  it('when the keyword has regex characters, then it matches literally', () => {
    expect(titlesOf(index.match('.*'))).toEqual(['a.*b (special)']);
    expect(titlesOf(index.match('a.*b ('))).toEqual(['a.*b (special)']);
    expect(index.match('a.b')).toEqual([]);
    expect(index.match('(')).toHaveLength(1);
  });

  it('when the characters occur but not together, then it does not match', () => {
    expect(index.match('레햄')).toEqual([]);
    expect(index.match('뮤지컬 햄릿')).toEqual([]);
  });
});
