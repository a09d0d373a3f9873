/**
 * Korean particles (조사) that change with the last syllable: 이/가, 을/를, 은/는, 과/와, 으로/로,
 * 아/야. Pure text rules, no dictionary.
 */

const HANGUL_FIRST = 0xac00;
const HANGUL_LAST = 0xd7a3;
/** The final consonant ㄹ in the jamo arithmetic below (index 8 of the 28 finals). */
const FINAL_RIEUL = 8;

/** Digits read in Sino-Korean as the last word of a number: 영 일 이 삼 사 오 육 칠 팔 구 (0 ends 십/백/천/만/영: all closed). */
const DIGIT_FINAL: readonly number[] = [21, 8, 0, 16, 0, 0, 1, 8, 8, 0];
/** Latin letters by the Korean name of the letter (엘, 엠, 엔, 알), for acronyms such as "SM" or "BTS". */
const LETTER_NAME_FINAL: Readonly<Record<string, number>> = { L: 8, M: 16, N: 4, R: 8 };
/** Hanja the demo titles end with, by their reading (展 전). */
const HANJA_FINAL: Readonly<Record<string, number>> = { 展: 4 };

/**
 * The index (1–27) of the final consonant (받침) the word is read with, 0 for an open syllable,
 * undefined when it cannot be told. Closing brackets, quotes, spaces and punctuation at the end
 * are skipped: "〈달빛 초상〉" is read by 상. Latin words: l, m, n (and ng) close the syllable
 * ("Musical" 뮤지컬, "Dream" 드림, "Seven" 세븐, "Song" 송); anything else is taken as open.
 */
export function finalConsonant(word: string): number | undefined {
  const chars = [...word.replace(/[\s\p{P}\p{S}]+$/u, '')];
  const last = chars.at(-1);
  if (last === undefined) return undefined;
  const code = last.codePointAt(0)!;
  if (code >= HANGUL_FIRST && code <= HANGUL_LAST) return (code - HANGUL_FIRST) % 28;
  if (/[0-9]/.test(last)) return DIGIT_FINAL[Number(last)];
  if (last in HANJA_FINAL) return HANJA_FINAL[last];
  if (/[A-Za-z]/.test(last)) {
    const word = /[A-Za-z]+$/.exec(chars.join(''))![0];
    if (word.length <= 4 && word === word.toUpperCase()) return LETTER_NAME_FINAL[last] ?? 0;
    if (/ng$/i.test(word)) return 21;
    return { l: 8, m: 16, n: 4 }[last.toLowerCase()] ?? 0;
  }
  return undefined;
}

export type Particle = '이/가' | '을/를' | '은/는' | '과/와' | '으로/로' | '아/야';

/**
 * The particle of the pair that follows `word`: the first form after a final consonant, the
 * second after an open syllable (으로/로: 로 also after ㄹ). When the word's reading cannot be
 * told, both, as Korean writes it: "이(가)".
 */
export function particle(word: string, pair: Particle): string {
  const [closed, open] = pair.split('/') as [string, string];
  const final = finalConsonant(word);
  if (final === undefined) return pair === '으로/로' ? '(으)로' : `${closed}(${open})`;
  if (pair === '으로/로' && final === FINAL_RIEUL) return open;
  return final === 0 ? open : closed;
}

/** `word` followed by its particle: withParticle('뮤지컬 〈붉은 서점〉', '이/가') = '뮤지컬 〈붉은 서점〉이'. */
export const withParticle = (word: string, pair: Particle): string => `${word}${particle(word, pair)}`;
