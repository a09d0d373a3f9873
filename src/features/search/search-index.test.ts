import { describe, expect, it } from 'vitest';
import { CONTEXT, params, seededDocs } from './search-index.fixtures.js';
import { buildSearchIndex } from './search-index.js';
import { MATCH_KINDS, type SearchDoc, type SearchIndex, type SearchPage, type SearchParams } from './search-types.js';

let serial = 0;
/** A current run on sale in 서울, unless told otherwise. */
function run(title: string, more: Partial<SearchDoc> = {}): SearchDoc {
  serial += 1;
  return {
    id: `run-${String(serial).padStart(4, '0')}`,
    title,
    category: '뮤지컬',
    region: '서울',
    location: '충무아트센터 대극장',
    start_date: '2026.11.01',
    end_date: '2027.02.28',
    poster_url: null,
    sites: [1],
    hasTicketUrl: true,
    artists: [],
    cast: [],
    description: null,
    popularity: 10,
    ...more,
  };
}

const CATALOGUE: SearchDoc[] = [
  run('뮤지컬 〈레미제라블〉', { location: '블루스퀘어 신한카드홀', cast: ['민우혁', '카이'], popularity: 50 }),
  run('뮤지컬 〈오페라의 유령〉', { location: '샤롯데씨어터', cast: ['조승우', '김주택'], sites: [1, 2], popularity: 40 }),
  run('아이유 콘서트 〈HER〉', { category: '콘서트', location: '올림픽공원 KSPO DOME', artists: ['아이유'], sites: [2], popularity: 90 }),
  run('BTS 월드투어 콘서트 - 부산', { category: '콘서트', region: '경상', location: '부산 아시아드 주경기장', artists: ['BTS'], sites: [3] }),
  run('WICKED 뮤지컬 위키드', { location: '블루스퀘어 신한카드홀', sites: [1, 3] }),
  run('연극 〈빨래〉', {
    category: '연극',
    location: '대학로 아트원씨어터 1관',
    description: '레미제라블 이후 가장 뜨거운 무대, 서울살이의 고단함을 노래합니다.',
    popularity: 99,
  }),
  run('신년음악회', { category: '클래식', location: '세종문화회관 대극장', artists: ['서울시립교향악단'] }),
  run('조승우 팬미팅', { category: '콘서트', location: '블루스퀘어 신한카드홀', artists: ['조승우'], popularity: 1 }),
  run('뮤지컬 〈레베카〉', { location: '세종문화회관 대극장', cast: ['옥주현'], region: '서울', popularity: 30 }),
  run('가족뮤지컬 〈구름빵〉', { category: '아동/가족', region: '경상', location: '부산문화회관 대극장', sites: [2] }),
  run('뮤지컬 〈레미제라블〉 (2차)', { start_date: '2024.01.01', end_date: '2024.03.01', popularity: 5 }),
];

let built: SearchIndex | undefined;
const index = async () => (built ??= await buildSearchIndex(CATALOGUE));
const search = async (q: string, more: Partial<SearchParams> = {}): Promise<SearchPage> => (await index()).search(params(q, more), CONTEXT);
const titles = (page: SearchPage) => page.hits.map((h) => CATALOGUE[h.index]!.title);
const first = async (q: string) => titles(await search(q))[0];

describe('matching classes', () => {
  it('exact, prefix and substring, spacing ignored both ways', async () => {
    expect(await first('레미제라블')).toBe('뮤지컬 〈레미제라블〉');
    expect(await first('레미')).toBe('뮤지컬 〈레미제라블〉');
    expect(await first('제라블')).toBe('뮤지컬 〈레미제라블〉');
    expect(await first('오페라의유령')).toBe('뮤지컬 〈오페라의 유령〉');
    expect(await first('레미 제라블')).toBe('뮤지컬 〈레미제라블〉');
    expect((await search('오페라의유령')).matchedAs[0]).toBe('exact');
  });

  it('초성, also mixed with syllables and for double consonants', async () => {
    const page = await search('ㄹㅁㅈㄹㅂ');
    expect(titles(page)[0]).toBe('뮤지컬 〈레미제라블〉');
    expect(page.matchedAs).toEqual(['choseong']);
    expect(await first('레ㅁㅈㄹㅂ')).toBe('뮤지컬 〈레미제라블〉');
    expect(await first('ㅇㅇㅇ')).toBe('아이유 콘서트 〈HER〉');
    expect(await first('ㄱㄹㅃ')).toBe('가족뮤지컬 〈구름빵〉');
  });

  it('a half-typed last syllable', async () => {
    const page = await search('레미제랍');
    expect(titles(page)[0]).toBe('뮤지컬 〈레미제라블〉');
    expect(page.matchedAs).toContain('mid_typing');
    expect(await first('아이ㅇ')).toBe('아이유 콘서트 〈HER〉');
    expect(await first('구름빠')).toBe('가족뮤지컬 〈구름빵〉');
  });

  it('Hangul typed on the Latin layout, also with spaces and digits', async () => {
    const page = await search('fpalwpfkqmf');
    expect(titles(page)[0]).toBe('뮤지컬 〈레미제라블〉');
    expect(page.matchedAs).toEqual(['layout']);
    expect(await first('dkdldb')).toBe('아이유 콘서트 〈HER〉');
    expect(await first('dhvpfkdml dbfud')).toBe('뮤지컬 〈오페라의 유령〉');
    expect(await first('fpalwpfkq')).toBe('뮤지컬 〈레미제라블〉');
  });

  it('one wrong jamo or syllable in four or more syllables', async () => {
    const page = await search('레마제라블');
    expect(titles(page)[0]).toBe('뮤지컬 〈레미제라블〉');
    expect(page.matchedAs).toEqual(['typo']);
    expect(await first('오패라의 유령')).toBe('뮤지컬 〈오페라의 유령〉');
    expect(await first('오페라의유룡')).toBe('뮤지컬 〈오페라의 유령〉');
    // both runs at the venue, the more popular first
    expect((await search('세종문화회괸')).hits.map((h) => CATALOGUE[h.index]!.title)).toEqual(['뮤지컬 〈레베카〉', '신년음악회']);
  });

  it('no typo tolerance for short queries', async () => {
    expect((await search('레버카')).total).toBe(0);
    expect((await search('빨리')).total).toBe(0);
  });

  it('artists, cast and venues', async () => {
    expect(await first('아이유')).toBe('아이유 콘서트 〈HER〉');
    expect(titles(await search('옥주현'))).toEqual(['뮤지컬 〈레베카〉']);
    expect((await search('세종문화회관')).hits.map((h) => CATALOGUE[h.index]!.location)).toEqual(['세종문화회관 대극장', '세종문화회관 대극장']);
    expect((await search('김주택')).matchedAs).toEqual(['cast']);
  });

  it('Latin titles case-insensitively, and multi-word queries across fields', async () => {
    expect(await first('wicked')).toBe('WICKED 뮤지컬 위키드');
    expect(await first('Wicked')).toBe('WICKED 뮤지컬 위키드');
    expect(await first('IU')).toBeUndefined();
    expect(titles(await search('BTS 콘서트'))).toEqual(['BTS 월드투어 콘서트 - 부산']);
    // words in different fields: an actor and a venue
    expect(titles(await search('조승우 샤롯데씨어터'))).toEqual(['뮤지컬 〈오페라의 유령〉']);
    // and every word must match somewhere
    expect((await search('조승우 부산')).total).toBe(0);
    // the words of a multi-word query may name the category or the region
    expect(titles(await search('서울 클래식'))).toEqual(['신년음악회']);
    expect(titles(await search('경상 뮤지컬'))).toEqual(['가족뮤지컬 〈구름빵〉']);
    // but one word alone is not a category filter
    expect((await search('클래식')).total).toBe(0);
  });

  it('searches the description last: a synopsis word never outranks a title', async () => {
    const page = await search('레미제라블');
    const ranks = titles(page);
    expect(ranks).toContain('연극 〈빨래〉');
    expect(ranks.indexOf('연극 〈빨래〉')).toBe(ranks.length - 1);
    expect(page.hits.at(-1)!.matchedAs).toBe('description');
    // even though it is the most popular run
    expect(CATALOGUE.find((d) => d.title === '연극 〈빨래〉')!.popularity).toBeGreaterThan(CATALOGUE[0]!.popularity);
  });
});

describe('ranking', () => {
  it('in the tiers of the spec: title over artist over cast over venue over description', async () => {
    const docs = [
      run('어느 날의 공연', { description: '조승우의 목소리' }),
      run('공연장 이야기', { location: '조승우홀' }),
      run('뮤지컬 〈헤드윅〉', { cast: ['조승우'] }),
      run('스페셜 콘서트', { artists: ['조승우'] }),
      run('조승우의 여름', { popularity: 0 }),
      run('조승우'),
    ];
    const idx = await buildSearchIndex(docs);
    const page = idx.search(params('조승우'), CONTEXT);
    expect(page.hits.map((h) => h.index)).toEqual([5, 4, 3, 2, 1, 0]);
    expect(page.hits.map((h) => h.matchedAs)).toEqual(['exact', 'prefix', 'artist', 'cast', 'venue', 'description']);
    expect(page.matchedAs).toEqual(['exact', 'prefix', 'artist', 'cast', 'venue', 'description']);
    const scores = page.hits.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('among exact titles, the one that keeps the punctuation typed comes first', async () => {
    const docs = [
      run('손열음 피아노 리사이틀 〈모차르트〉', { start_date: '2026.12.10', popularity: 50 }),
      run('뮤지컬 〈모차르트!〉 15주년', { start_date: '2027.03.05', popularity: 10 }),
    ];
    const idx = await buildSearchIndex(docs);
    const typed = idx.search(params('모차르트!'), CONTEXT);
    expect(typed.hits.map((h) => [h.index, h.matchedAs])).toEqual([
      [1, 'exact'],
      [0, 'exact'],
    ]);
    // without the punctuation, popularity decides between the two
    expect(idx.search(params('모차르트'), CONTEXT).hits.map((h) => h.index)).toEqual([0, 1]);
  });

  it('every tier in MATCH_KINDS order', async () => {
    const page = await search('레미제라블');
    const tiers = page.hits.map((h) => MATCH_KINDS.indexOf(h.matchedAs));
    expect([...tiers].sort((a, b) => a - b)).toEqual(tiers);
  });

  it('within a tier: on sale and current before ended, then popularity, then the nearest start', async () => {
    const docs = [
      run('햄릿 A', { popularity: 100, end_date: '2026.11.30' }), // ended
      run('햄릿 B', { popularity: 5, hasTicketUrl: false }), // current, no ticket
      run('햄릿 C', { popularity: 5 }),
      run('햄릿 D', { popularity: 50 }),
      run('햄릿 E', { popularity: 5, start_date: '2026.12.01' }), // nearer today than C
    ];
    const idx = await buildSearchIndex(docs);
    expect(idx.search(params('햄릿'), CONTEXT).hits.map((h) => docs[h.index]!.title)).toEqual(['햄릿 D', '햄릿 E', '햄릿 C', '햄릿 B', '햄릿 A']);
  });

  it('sorts by date (current runs first, by start) and by popularity on request', async () => {
    const byDate = await search('', { sort: 'date', size: 100 });
    const current = byDate.hits.map((h) => CATALOGUE[h.index]!).filter((d) => d.end_date >= CONTEXT.today);
    expect(byDate.hits.map((h) => CATALOGUE[h.index]!).slice(0, current.length)).toEqual(current);
    const starts = current.map((d) => d.start_date);
    expect([...starts].sort()).toEqual(starts);
    const popular = await search('', { sort: 'popular', size: 100 });
    const views = popular.hits.map((h) => CATALOGUE[h.index]!.popularity);
    expect([...views].sort((a, b) => b - a)).toEqual(views);
    const relevanceWithQuery = await search('뮤지컬', { sort: 'popular' });
    expect(relevanceWithQuery.hits.map((h) => CATALOGUE[h.index]!.popularity)).toEqual(
      [...relevanceWithQuery.hits.map((h) => CATALOGUE[h.index]!.popularity)].sort((a, b) => b - a),
    );
  });
});

describe('filters and facets', () => {
  it('뮤지컬/연극 takes musicals, plays and the combined label', async () => {
    const page = await search('', { categories: ['뮤지컬/연극'], size: 100 });
    expect(new Set(page.hits.map((h) => CATALOGUE[h.index]!.category))).toEqual(new Set(['뮤지컬', '연극']));
    expect(page.total).toBe(CATALOGUE.filter((d) => d.category === '뮤지컬' || d.category === '연극').length);
  });

  it('regions, vendors, dates and on sale', async () => {
    expect((await search('', { regions: ['경상'] })).total).toBe(2);
    const vendor3 = await search('', { vendors: [3], size: 100 });
    expect(vendor3.hits.every((h) => CATALOGUE[h.index]!.sites.includes(3))).toBe(true);
    expect(vendor3.total).toBe(2);
    const old = await search('레미제라블', { to: '2024.12.31' });
    expect(titles(old)).toEqual(['뮤지컬 〈레미제라블〉 (2차)']);
    const onSale = await search('레미제라블', { onSale: true });
    expect(titles(onSale)).not.toContain('뮤지컬 〈레미제라블〉 (2차)');
    expect(titles(onSale)).toContain('뮤지컬 〈레미제라블〉');
  });

  it('counts each facet with every filter but its own', async () => {
    const all = await search('');
    const seoul = await search('', { regions: ['서울'] });
    // the region facet still shows the other regions
    expect(seoul.facets.region).toEqual(all.facets.region);
    expect(seoul.facets.region.find((f) => f.value === '경상')!.count).toBe(2);
    // the other facets follow the region filter
    const seoulConcerts = seoul.facets.category.find((f) => f.value === '콘서트')!.count;
    expect(seoulConcerts).toBe(CATALOGUE.filter((d) => d.region === '서울' && d.category === '콘서트').length);
    expect(seoul.total).toBe(CATALOGUE.filter((d) => d.region === '서울').length);
    // counts sorted by count, then value
    const counts = all.facets.category.map((f) => f.count);
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);
    // with a query: only its matches are counted
    const concert = await search('콘서트', { categories: ['콘서트'] });
    expect(concert.facets.vendor.reduce((n, f) => n + f.count, 0)).toBeGreaterThanOrEqual(concert.total);
    expect(concert.facets.category.find((f) => f.value === '콘서트')!.count).toBe(concert.total);
  });

  it('counts runs in the when buckets', async () => {
    const docs = [
      run('주말 공연', { start_date: '2026.12.05', end_date: '2026.12.05' }),
      run('이달 공연', { start_date: '2026.12.10', end_date: '2026.12.12' }),
      run('내년 공연', { start_date: '2027.01.10', end_date: '2027.01.12' }),
      run('상시 공연', { start_date: '2025.01.01', end_date: '상시공연' }),
      run('지난 공연', { start_date: '2025.01.01', end_date: '2025.02.01' }),
    ];
    const page = (await buildSearchIndex(docs)).search(params(''), CONTEXT);
    expect(Object.fromEntries(page.facets.when.map((f) => [f.value, f.count]))).toEqual({ this_weekend: 2, this_month: 3, later: 2 });
  });
});

describe('paging and highlights', () => {
  it('pages are stable, with no duplicates or gaps', async () => {
    const docs = seededDocs(400);
    const idx = await buildSearchIndex(docs);
    for (const q of ['', '콘서트', '뮤지컬 서울', 'ㅇㅇ']) {
      for (const sort of ['relevance', 'date', 'popular'] as const) {
        const whole = idx.search(params(q, { sort, size: 100, page: 1 }), CONTEXT);
        const wholeIds: string[] = [];
        for (let page = 1; page <= Math.ceil(whole.total / 100); page += 1)
          wholeIds.push(...idx.search(params(q, { sort, size: 100, page }), CONTEXT).hits.map((h) => h.id));
        const paged: string[] = [];
        for (let page = 1; page <= Math.ceil(whole.total / 7) + 1; page += 1) {
          const p = idx.search(params(q, { sort, size: 7, page }), CONTEXT);
          expect(p.total).toBe(whole.total);
          paged.push(...p.hits.map((h) => h.id));
        }
        expect(paged).toEqual(wholeIds);
        expect(new Set(paged).size).toBe(whole.total);
      }
    }
  });

  const marked = (page: SearchPage, i = 0) => {
    const title = CATALOGUE[page.hits[i]!.index]!.title;
    return page.hits[i]!.highlights.title.map(([s, e]) => title.slice(s, e));
  };

  it('maps every kind of match back to the original title', async () => {
    expect(marked(await search('오페라의유령'))).toEqual(['오페라의 유령']);
    expect(marked(await search('ㄹㅁㅈㄹㅂ'))).toEqual(['레미제라블']);
    expect(marked(await search('레미제랍'))).toEqual(['레미제라블']);
    expect(marked(await search('fpalwpfkqmf'))).toEqual(['레미제라블']);
    expect(marked(await search('오패라의 유령'))).toEqual(['오페라의 유령']);
    expect(marked(await search('wicked'))).toEqual(['WICKED']);
    expect(marked(await search('BTS 콘서트'))).toEqual(['BTS', '콘서트']);
    // a match outside the title marks nothing in it
    expect(marked(await search('옥주현'))).toEqual([]);
  });

  it('says how the query was read', async () => {
    expect((await search('  BTS   콘서트 ')).normalized).toBe('bts 콘서트');
    expect((await search('')).matchedAs).toEqual([]);
    expect((await search('')).total).toBe(CATALOGUE.length);
  });
});

describe('suggest', () => {
  it('completes titles, artists and venues, best first, with the run of a title', async () => {
    const idx = await index();
    const s = idx.suggest('레미', 5);
    expect(s[0]).toMatchObject({ text: '뮤지컬 〈레미제라블〉', kind: 'title' });
    expect(CATALOGUE.find((d) => d.id === s[0]!.id)!.title).toBe('뮤지컬 〈레미제라블〉');
    expect(idx.suggest('아이', 5).map((x) => x.text)).toContain('아이유');
    expect(idx.suggest('세종', 5)).toContainEqual({ text: '세종문화회관 대극장', kind: 'venue' });
  });

  it('with the same Korean matching: 초성, mid-typing, Latin layout', async () => {
    const idx = await index();
    expect(idx.suggest('ㄹㅁㅈ', 3)[0]!.text).toBe('뮤지컬 〈레미제라블〉');
    expect(idx.suggest('레미젭', 3)).toEqual([]);
    expect(idx.suggest('레미제랍', 3)[0]!.text).toBe('뮤지컬 〈레미제라블〉');
    expect(idx.suggest('dkdl', 3).map((x) => x.text)).toContain('아이유');
    expect(idx.suggest('fpalw', 3)[0]!.text).toBe('뮤지컬 〈레미제라블〉');
  });

  it('prefixes before substrings, popularity to break ties, distinct texts, at most `limit`', async () => {
    const idx = await index();
    const s = idx.suggest('블루', 10);
    expect(s.filter((x) => x.text === '블루스퀘어 신한카드홀')).toHaveLength(1);
    const remi = idx.suggest('레미제라블', 10).map((x) => x.text);
    // the more popular of the two titles that start with it comes first
    expect(remi.slice(0, 2)).toEqual(['뮤지컬 〈레미제라블〉', '뮤지컬 〈레미제라블〉 (2차)']);
    expect(idx.suggest('ㄹ', 2)).toHaveLength(2);
    expect(idx.suggest('', 5)).toEqual([]);
    expect(idx.suggest('뮤지컬', 0)).toEqual([]);
  });
});

describe('build', () => {
  it('pauses between small steps', async () => {
    let pauses = 0;
    const idx = await buildSearchIndex(seededDocs(200), { next: async () => void (pauses += 1) });
    expect(pauses).toBeGreaterThan(200);
    expect(idx.size).toBe(200);
  });

  it('an empty catalogue', async () => {
    const idx = await buildSearchIndex([]);
    expect(idx.search(params('레미'), CONTEXT)).toMatchObject({ total: 0, hits: [] });
    expect(idx.search(params(''), CONTEXT).total).toBe(0);
    expect(idx.suggest('레미', 5)).toEqual([]);
  });
});
