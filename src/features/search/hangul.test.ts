import { describe, expect, it } from 'vitest';
import { choseong, compose, decompose, fromLatinLayout, normalize, normalizeMapped, queryWords, toKeys } from './hangul.js';

describe('syllable arithmetic', () => {
  it('splits a syllable into initial, medial and final, and puts it back', () => {
    expect(decompose('한')).toEqual({ initial: 18, medial: 0, final: 4 });
    expect(decompose('가')).toEqual({ initial: 0, medial: 0, final: 0 });
    expect(decompose('a')).toBeUndefined();
    for (const s of ['한', '글', '뷁', '똠', '가', '힣']) {
      const { initial, medial, final } = decompose(s)!;
      expect(compose(initial, medial, final)).toBe(s);
    }
  });

  it('gives the keys a 2-beolsik keyboard types, compound vowels and finals split', () => {
    expect(toKeys('랍')).toBe('ㄹㅏㅂ');
    expect(toKeys('않')).toBe('ㅇㅏㄴㅎ');
    expect(toKeys('과')).toBe('ㄱㅗㅏ');
    expect(toKeys('의')).toBe('ㅇㅡㅣ');
    expect(toKeys('값')).toBe('ㄱㅏㅂㅅ');
    // double consonants are one key; what is not Hangul stays
    expect(toKeys('꽃 IU')).toBe('ㄲㅗㅊ IU');
    expect(toKeys('ㄳ')).toBe('ㄱㅅ');
  });

  it('takes the initial consonants, position for position, lone consonants and the rest as they are', () => {
    expect(choseong('레미제라블')).toBe('ㄹㅁㅈㄹㅂ');
    expect(choseong('ㄹㅁㅈㄹㅂ')).toBe('ㄹㅁㅈㄹㅂ');
    expect(choseong('까치 뚜껑')).toBe('ㄲㅊ ㄸㄲ');
    expect(choseong('BTS 2024')).toBe('BTS 2024');
  });
});

describe('Latin layout', () => {
  it('reads what was typed with the keyboard left on Latin', () => {
    expect(fromLatinLayout('fpalwpfkqmf')).toBe('레미제라블');
    expect(fromLatinLayout('dkdldb')).toBe('아이유');
    expect(fromLatinLayout('tpwhdansghkghlrhks')).toBe('세종문화회관');
    expect(fromLatinLayout('dhvpfkdml dbfud')).toBe('오페라의 유령');
  });

  it('uses the shifted keys for double consonants and ㅒ ㅖ', () => {
    expect(fromLatinLayout('RHcl')).toBe('꼬치');
    expect(fromLatinLayout('Ekfrl')).toBe('딸기');
    expect(fromLatinLayout('Qkd')).toBe('빵');
    expect(fromLatinLayout('Tkf')).toBe('쌀');
    expect(fromLatinLayout('Wkd')).toBe('짱');
    expect(fromLatinLayout('dO')).toBe('얘');
    expect(fromLatinLayout('tPwjd')).toBe('셰정');
  });

  it('moves a final to the next syllable when a vowel follows, and splits a compound final', () => {
    expect(fromLatinLayout('dkssud')).toBe('안녕');
    expect(fromLatinLayout('rkqt')).toBe('값');
    expect(fromLatinLayout('rkqtl')).toBe('갑시');
    expect(fromLatinLayout('ekfrdl')).toBe('닭이');
    expect(fromLatinLayout('ghkdlxld')).toBe('화이팅');
  });

  it('keeps digits, spaces and lone keys', () => {
    expect(fromLatinLayout('dkdldb 2024')).toBe('아이유 2024');
    expect(fromLatinLayout('fpalwpfkq')).toBe('레미제랍');
    expect(fromLatinLayout('r')).toBe('ㄱ');
    expect(fromLatinLayout('k')).toBe('ㅏ');
  });
});

describe('normalization', () => {
  it('folds case and width, drops spaces and punctuation', () => {
    expect(normalize('뮤지컬 〈오페라의 유령〉')).toBe('뮤지컬오페라의유령');
    expect(normalize('ＢＴＳ World-Tour!')).toBe('btsworldtour');
    expect(normalize('ㄹㅁㅈㄹㅂ')).toBe('ㄹㅁㅈㄹㅂ');
  });

  it('composes decomposed Hangul and keeps typed jamo as compatibility jamo', () => {
    expect(normalize('레미제라블'.normalize('NFD'))).toBe('레미제라블');
    expect(normalize('\u1100\u1161')).toBe('가');
  });

  it('knows where each normalized character came from, and where words start', () => {
    const m = normalizeMapped('LG아트센터 〈A〉');
    expect(m.text).toBe('lg아트센터a');
    expect(m.from[m.text.indexOf('a')]).toBe('LG아트센터 〈A〉'.indexOf('A'));
    expect(m.wordStart).toEqual([true, false, true, false, false, false, true]);
  });

  it('splits a query into normalized words', () => {
    expect(queryWords('  BTS   콘서트! ')).toEqual(['bts', '콘서트']);
    expect(queryWords('레미 제라블')).toEqual(['레미', '제라블']);
    expect(queryWords(' , ')).toEqual([]);
  });
});
