/**
 * Hangul arithmetic for search, by hand: syllables into the jamo a 2-beolsik keyboard types,
 * 초성 (initial consonants), Latin-layout typing back into Hangul, and the normalization every
 * field and query goes through. Jamo are always the compatibility jamo (U+3131–U+318E), as
 * keyboards emit them for a lone letter.
 */

const SYLLABLE_FIRST = 0xac00;
const SYLLABLE_LAST = 0xd7a3;
const COMPAT_FIRST = 0x3131;
const COMPAT_LAST = 0x318e;
/** ㅏ: compatibility jamo before it are consonants, from it to ㅣ (U+3163) vowels. */
const COMPAT_VOWEL_FIRST = 0x314f;
const COMPAT_VOWEL_LAST = 0x3163;

/** The 19 initial consonants, in syllable order. */
export const INITIALS = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ';
/** The 21 medial vowels, in syllable order. */
export const MEDIALS = 'ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ';
/** The 28 finals ('' = none), in syllable order. */
export const FINALS = [
  '',
  'ㄱ',
  'ㄲ',
  'ㄳ',
  'ㄴ',
  'ㄵ',
  'ㄶ',
  'ㄷ',
  'ㄹ',
  'ㄺ',
  'ㄻ',
  'ㄼ',
  'ㄽ',
  'ㄾ',
  'ㄿ',
  'ㅀ',
  'ㅁ',
  'ㅂ',
  'ㅄ',
  'ㅅ',
  'ㅆ',
  'ㅇ',
  'ㅈ',
  'ㅊ',
  'ㅋ',
  'ㅌ',
  'ㅍ',
  'ㅎ',
] as const;

/** Compound vowels and finals as the keys typed for them (ㅘ = ㅗ then ㅏ; ㄶ = ㄴ then ㅎ). */
const KEY_SPLIT: Readonly<Record<string, string>> = {
  ㅘ: 'ㅗㅏ',
  ㅙ: 'ㅗㅐ',
  ㅚ: 'ㅗㅣ',
  ㅝ: 'ㅜㅓ',
  ㅞ: 'ㅜㅔ',
  ㅟ: 'ㅜㅣ',
  ㅢ: 'ㅡㅣ',
  ㄳ: 'ㄱㅅ',
  ㄵ: 'ㄴㅈ',
  ㄶ: 'ㄴㅎ',
  ㄺ: 'ㄹㄱ',
  ㄻ: 'ㄹㅁ',
  ㄼ: 'ㄹㅂ',
  ㄽ: 'ㄹㅅ',
  ㄾ: 'ㄹㅌ',
  ㄿ: 'ㄹㅍ',
  ㅀ: 'ㄹㅎ',
  ㅄ: 'ㅂㅅ',
};
/** The other way: two keys that make one compound (vowel or final). */
const KEY_JOIN: ReadonlyMap<string, string> = new Map(Object.entries(KEY_SPLIT).map(([compound, keys]) => [keys, compound]));

const keys = (jamo: string): string => KEY_SPLIT[jamo] ?? jamo;

/** Keyboard jamo of every syllable, by code − 0xAC00 (built once, 11,172 short strings). */
const SYLLABLE_KEYS: string[] = (() => {
  const out: string[] = new Array<string>(SYLLABLE_LAST - SYLLABLE_FIRST + 1);
  for (let i = 0; i < out.length; i += 1) {
    out[i] = INITIALS[Math.floor(i / 588)]! + keys(MEDIALS[Math.floor((i % 588) / 28)]!) + keys(FINALS[i % 28]!);
  }
  return out;
})();

export const isSyllable = (code: number): boolean => code >= SYLLABLE_FIRST && code <= SYLLABLE_LAST;
export const isCompatJamo = (code: number): boolean => code >= COMPAT_FIRST && code <= COMPAT_LAST;
/** A lone consonant as a keyboard emits it (ㄱ … ㅎ, compounds such as ㄳ included). */
export const isCompatConsonant = (code: number): boolean => code >= COMPAT_FIRST && code < COMPAT_VOWEL_FIRST;
export const isCompatVowel = (code: number): boolean => code >= COMPAT_VOWEL_FIRST && code <= COMPAT_VOWEL_LAST;
/** A Hangul syllable or a compatibility jamo. */
export const isHangul = (code: number): boolean => isSyllable(code) || isCompatJamo(code);

/** Initial, medial and final of a syllable (indexes into INITIALS, MEDIALS, FINALS), or undefined. */
export function decompose(syllable: string): { initial: number; medial: number; final: number } | undefined {
  const code = syllable.charCodeAt(0);
  if (!isSyllable(code)) return undefined;
  const i = code - SYLLABLE_FIRST;
  return { initial: Math.floor(i / 588), medial: Math.floor((i % 588) / 28), final: i % 28 };
}

/** The syllable of these indexes. */
export const compose = (initial: number, medial: number, final = 0): string =>
  String.fromCharCode(SYLLABLE_FIRST + initial * 588 + medial * 28 + final);

/**
 * The keys typed for `text` on a 2-beolsik keyboard, one compatibility jamo per key: compound
 * vowels and finals are split (랍 → ㄹㅏㅂ, 않 → ㅇㅏㄴㅎ, 과 → ㄱㅗㅏ), double consonants stay one
 * key (ㄲ). Anything that is not Hangul is kept as it is.
 */
export function toKeys(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (isSyllable(code)) out += SYLLABLE_KEYS[code - SYLLABLE_FIRST]!;
    else if (isCompatJamo(code)) out += keys(text[i]!);
    else out += text[i]!;
  }
  return out;
}

/** The keys of one UTF-16 unit (see toKeys). */
export function keysOf(code: number): string {
  if (isSyllable(code)) return SYLLABLE_KEYS[code - SYLLABLE_FIRST]!;
  const ch = String.fromCharCode(code);
  return isCompatJamo(code) ? keys(ch) : ch;
}

/** The 초성 of one UTF-16 unit: a syllable's initial consonant; anything else stays itself (same length, same positions). */
export function choseongOf(code: number): string {
  if (isSyllable(code)) return INITIALS[Math.floor((code - SYLLABLE_FIRST) / 588)]!;
  return String.fromCharCode(code);
}

/**
 * 초성 of a text, position for position: 레미제라블 → ㄹㅁㅈㄹㅂ; lone consonants (ㄹㅁㅈㄹㅂ, ㄲㄸ)
 * and everything that is not a syllable stay as they are, so a string of typed consonants is its
 * own 초성.
 */
export function choseong(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) out += choseongOf(text.charCodeAt(i));
  return out;
}

/** Conjoining jamo (U+1100 block, what NFD/NFKC produce) to the compatibility jamo keyboards emit. */
const CONJOINING_INITIALS = INITIALS;
const CONJOINING_FINALS = FINALS.slice(1).join('');
function conjoiningToCompat(code: number): string | undefined {
  if (code >= 0x1100 && code <= 0x1112) return CONJOINING_INITIALS[code - 0x1100];
  if (code >= 0x1161 && code <= 0x1175) return MEDIALS[code - 0x1161];
  if (code >= 0x11a8 && code <= 0x11c2) return CONJOINING_FINALS[code - 0x11a8];
  return undefined;
}

const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;

/**
 * One UTF-16 unit as search compares it: lower-case, NFKC (full-width Latin, circled digits …),
 * with jamo kept as compatibility jamo; spaces, punctuation and symbols are dropped ('').
 * Astral characters come as their surrogate units and are kept when they are letters.
 */
function normalizeUnit(text: string, i: number): string {
  const code = text.charCodeAt(i);
  if (code < 0x80) {
    if (code >= 0x61 && code <= 0x7a) return text[i]!;
    if (code >= 0x41 && code <= 0x5a) return String.fromCharCode(code + 32);
    if (code >= 0x30 && code <= 0x39) return text[i]!;
    return '';
  }
  if (isSyllable(code) || isCompatJamo(code)) return text[i]!;
  const compat = conjoiningToCompat(code);
  if (compat !== undefined) return compat;
  if (code >= 0xd800 && code <= 0xdfff) return ''; // an astral character: handled by the caller
  let out = '';
  for (const ch of text[i]!.normalize('NFKC').toLowerCase()) {
    const c = ch.charCodeAt(0);
    const conj = conjoiningToCompat(c);
    if (conj !== undefined) out += conj;
    else if (LETTER_OR_NUMBER.test(ch)) out += ch;
  }
  return out;
}

/** A normalized text and, for every UTF-16 unit of it, the range of the original it came from. */
export interface Normalized {
  text: string;
  /** Original start of each unit of `text`. */
  from: number[];
  /** Original end (exclusive) of each unit of `text`. */
  to: number[];
  /** Whether each unit of `text` starts a word of the original (after a space or punctuation, or where Hangul meets Latin or digits). */
  wordStart: boolean[];
}

const scriptOf = (code: number): number => (isHangul(code) ? 1 : code < 0x80 ? 2 : 3);

/** Normalizes (see `normalize`) and keeps where each unit came from. */
export function normalizeMapped(original: string): Normalized {
  const text: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const wordStart: boolean[] = [];
  let gap = true;
  let lastScript = 0;
  for (let i = 0; i < original.length;) {
    const code = original.codePointAt(i)!;
    const width = code > 0xffff ? 2 : 1;
    const piece =
      width === 2
        ? [
            ...original
              .slice(i, i + 2)
              .normalize('NFKC')
              .toLowerCase(),
          ]
            .filter((c) => LETTER_OR_NUMBER.test(c))
            .join('')
        : normalizeUnit(original, i);
    if (piece === '') gap = true;
    else {
      const script = scriptOf(piece.charCodeAt(0));
      for (let u = 0; u < piece.length; u += 1) {
        text.push(piece[u]!);
        from.push(i);
        to.push(i + width);
        wordStart.push(u === 0 && (gap || script !== lastScript));
      }
      lastScript = script;
      gap = false;
    }
    i += width;
  }
  return { text: text.join(''), from, to, wordStart };
}

/**
 * A text as search compares it: NFKC, lower-case, compatibility jamo, and no spaces, punctuation
 * or symbols (`뮤지컬 〈오페라의 유령〉` → `뮤지컬오페라의유령`, `ＢＴＳ` → `bts`).
 */
export function normalize(text: string): string {
  return normalizeMapped(text.normalize('NFC')).text;
}

/**
 * The words of a query, each normalized: split at spaces and punctuation, empty words dropped
 * (`BTS 콘서트` → ['bts', '콘서트'], `레미 제라블` → ['레미', '제라블']).
 */
export function queryWords(query: string): string[] {
  return query
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .map(normalize)
    .filter((w) => w !== '');
}

/** 2-beolsik: the jamo of each Latin key (upper case: the shifted key, for the five that differ). */
const LAYOUT: Readonly<Record<string, string>> = {
  q: 'ㅂ',
  w: 'ㅈ',
  e: 'ㄷ',
  r: 'ㄱ',
  t: 'ㅅ',
  y: 'ㅛ',
  u: 'ㅕ',
  i: 'ㅑ',
  o: 'ㅐ',
  p: 'ㅔ',
  a: 'ㅁ',
  s: 'ㄴ',
  d: 'ㅇ',
  f: 'ㄹ',
  g: 'ㅎ',
  h: 'ㅗ',
  j: 'ㅓ',
  k: 'ㅏ',
  l: 'ㅣ',
  z: 'ㅋ',
  x: 'ㅌ',
  c: 'ㅊ',
  v: 'ㅍ',
  b: 'ㅠ',
  n: 'ㅜ',
  m: 'ㅡ',
  Q: 'ㅃ',
  W: 'ㅉ',
  E: 'ㄸ',
  R: 'ㄲ',
  T: 'ㅆ',
  O: 'ㅒ',
  P: 'ㅖ',
};

/** Whether a text has Latin letters (a candidate for `fromLatinLayout`). */
export const hasLatin = (text: string): boolean => /[A-Za-z]/.test(text);

/**
 * What `typed` would have been with the keyboard on Hangul (2-beolsik): `fpalwpfkqmf` → 레미제라블,
 * `dkdldb` → 아이유, `RHcl` → 꼬치. Keys are composed into syllables as an IME does: a consonant
 * after a vowel becomes the final (or joins it into ㄳ, ㄺ …), and moves on to start the next
 * syllable when a vowel follows (dkssud → 안녕); ㅗ+ㅏ → ㅘ and the like. Anything that is not a
 * Latin letter (digits, spaces, Hangul) ends the syllable and is kept.
 */
export function fromLatinLayout(typed: string): string {
  let out = '';
  let initial = ''; // a consonant
  let medial = ''; // a vowel (maybe compound)
  let final = ''; // a consonant (maybe compound)
  const flush = () => {
    if (initial !== '' && medial !== '') {
      out += compose(INITIALS.indexOf(initial), MEDIALS.indexOf(medial), FINALS.indexOf(final as (typeof FINALS)[number]));
    } else out += initial + medial + final;
    initial = medial = final = '';
  };
  for (const ch of typed) {
    const jamo = LAYOUT[ch] ?? LAYOUT[ch.toLowerCase()];
    if (jamo === undefined) {
      flush();
      out += ch;
      continue;
    }
    const vowel = isCompatVowel(jamo.charCodeAt(0));
    if (!vowel) {
      if (medial === '') {
        flush(); // a lone consonant before (or nothing)
        initial = jamo;
      } else if (initial === '') {
        flush(); // a lone vowel before
        initial = jamo;
      } else if (final === '') {
        if (FINALS.includes(jamo as (typeof FINALS)[number])) final = jamo;
        else {
          flush();
          initial = jamo;
        }
      } else {
        const joined = KEY_JOIN.get(final + jamo);
        if (joined !== undefined && FINALS.includes(joined as (typeof FINALS)[number])) final = joined;
        else {
          flush();
          initial = jamo;
        }
      }
    } else if (final !== '') {
      // the final moves on to start the next syllable (a compound final gives up its second key)
      const split = KEY_SPLIT[final];
      const moving = split === undefined ? final : split[1]!;
      final = split === undefined ? '' : split[0]!;
      flush();
      initial = moving;
      medial = jamo;
    } else if (medial !== '') {
      const joined = KEY_JOIN.get(keys(medial) + jamo);
      if (joined !== undefined && MEDIALS.includes(joined)) medial = joined;
      else {
        flush();
        medial = jamo;
      }
    } else medial = jamo;
  }
  flush();
  return out;
}
