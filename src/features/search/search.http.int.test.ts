import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../../test-support/app.js';
import { testBackends } from '../../test-support/backends.js';
import { recordingEvents } from '../../test-support/recording-events.js';
import { makeRun } from '../../test-support/runs.js';
import type { SearchAnswer } from './search.service.js';
import type { Suggestion } from './search-types.js';

const NOW = '2026-12-03T10:00:00+09:00';
const id = (n: number) => `cccccccccccccccccccc${n.toString(16).padStart(4, '0')}`;

const LES_MIS = makeRun({
  _id: id(1),
  title: '레미제라블',
  category: '뮤지컬',
  location: '블루스퀘어 신한카드홀',
  region: '서울',
  start_date: '2026.11.20',
  end_date: '2027.02.28',
  casting: [
    { actor: '민우혁', role: '장발장' },
    { actor: '카이', role: '자베르' },
  ],
  description: '빅토르 위고 원작의 뮤지컬.',
});
const LES_MIS_BUSAN = makeRun({
  _id: id(2),
  title: '레미제라블 - 부산',
  category: '뮤지컬',
  location: '드림씨어터',
  region: '경상',
  start_date: '2027.03.10',
  end_date: '2027.04.20',
});
const PHANTOM = makeRun({
  _id: id(3),
  title: '오페라의 유령',
  category: '뮤지컬',
  location: '샤롯데씨어터',
  region: '서울',
  start_date: '2026.12.10',
  end_date: '2027.03.15',
  casting: [{ actor: '조승우', role: '팬텀' }],
  hosts: [
    { site_id: 1, ticket_url: 'https://tickets.example.com/p1' },
    { site_id: 2, ticket_url: 'https://tickets.example.com/p2' },
  ],
});
const IU = makeRun({
  _id: id(4),
  title: '아이유 콘서트 HER',
  category: '콘서트',
  location: '세종문화회관 대극장',
  region: '서울',
  start_date: '2026.12.20',
  end_date: '2026.12.21',
  artist: [{ artist_name: '아이유', artist_url: null }],
  hosts: [{ site_id: 3, ticket_url: 'https://tickets.example.com/iu' }],
});
const HAMLET = makeRun({
  _id: id(5),
  title: '햄릿',
  category: '연극',
  location: '예술의전당 CJ토월극장',
  region: '서울',
  start_date: '2026.10.01',
  end_date: '2026.11.01',
  description: '레미제라블의 장발장처럼 고뇌하는 왕자.',
});
const WICKED = makeRun({
  _id: id(6),
  title: 'WICKED 위키드',
  category: '뮤지컬',
  location: '대구 계명아트센터',
  region: '경상',
  start_date: '2027.01.05',
  end_date: '2027.02.20',
});
const RUNS = [LES_MIS, LES_MIS_BUSAN, PHANTOM, IU, HAMLET, WICKED];

for (const backend of await testBackends()) {
  describe.skipIf(backend.env === undefined)(`/v1/search and /v1/suggest on ${backend.name}`, () => {
    const events = recordingEvents();
    let svc: TestService;

    beforeAll(async () => {
      svc = await startTestService({ ...(await backend.env!()), TICKETMOA_NOW: NOW }, { events });
      await svc.container.stores.performances.upsertMany(RUNS);
      await svc.container.catalog.refresh();
      await svc.container.search.current();
    });
    afterAll(async () => svc?.close());
    beforeEach(() => events.clear());

    const search = async (query: string): Promise<SearchAnswer> => {
      const res = await svc.app.inject({ method: 'GET', url: `/v1/search?${query}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const firstFor = async (q: string) => (await search(`q=${encodeURIComponent(q)}`)).items[0]?.id;

    it.each([
      ['exact title', '레미제라블', LES_MIS._id],
      ['spacing in the query', '레미 제라블', LES_MIS._id],
      ['spacing left out', '오페라의유령', PHANTOM._id],
      ['초성', 'ㄹㅁㅈㄹㅂ', LES_MIS._id],
      ['the last syllable half-typed', '레미제랍', LES_MIS._id],
      ['the Latin keyboard layout', 'fpalwpfkqmf', LES_MIS._id],
      ['one wrong vowel', '레마제라블', LES_MIS._id],
      ['an actor from the stored cast', '조승우', PHANTOM._id],
      ['an artist', '아이유', IU._id],
      ['a venue', '세종문화회관', IU._id],
      ['Latin, any case', 'wicked', WICKED._id],
    ])('finds the run a person means: %s (%s)', async (_, q, expected) => {
      expect(await firstFor(q)).toBe(expected);
    });

    it('answers with the documented shape: the query as matched, items with vendors and highlights, and facets', async () => {
      const answer = await search('q=' + encodeURIComponent('레미제'));
      expect(answer.query).toMatchObject({ q: '레미제', matched_as: expect.arrayContaining(['prefix']) });
      expect(answer.query.matched_as[0]).toBe('prefix');
      expect(answer.page).toBe(1);
      expect(answer.size).toBe(20);
      const first = answer.items[0]!;
      expect(first).toMatchObject({
        id: LES_MIS._id,
        title: '레미제라블',
        category: '뮤지컬',
        region: '서울',
        location: '블루스퀘어 신한카드홀',
        start_date: '2026.11.20',
        end_date: '2027.02.28',
        onSale: true,
        isExclusive: true,
        vendors: [1],
        highlights: { title: [[0, 3]] },
      });
      // the synopsis that names the show never outranks the titles that do
      const ids = answer.items.map((i) => i.id);
      expect(ids.slice(0, 2).sort()).toEqual([LES_MIS._id, LES_MIS_BUSAN._id]);
      if (ids.includes(HAMLET._id)) expect(ids.indexOf(HAMLET._id)).toBeGreaterThan(1);
      expect(Object.keys(answer.facets).sort()).toEqual(['category', 'region', 'vendor', 'when']);
    });

    it('keeps facets disjunctive: choosing a region still counts the others', async () => {
      const all = await search('q=' + encodeURIComponent('레미제라블'));
      const seoul = await search('q=' + encodeURIComponent('레미제라블') + '&region=' + encodeURIComponent('서울'));
      // the Seoul run by its title, then the Seoul play whose synopsis names it
      expect(seoul.items.map((i) => i.id)).toEqual([LES_MIS._id, HAMLET._id]);
      expect(seoul.facets.region).toEqual(all.facets.region);
      expect(seoul.facets.region).toEqual(expect.arrayContaining([{ value: '경상', count: 1 }]));
      const both = await search(`region=${encodeURIComponent('서울')}&region=${encodeURIComponent('경상')}&category=${encodeURIComponent('뮤지컬')}`);
      expect(both.total).toBe(4);
      // the category facet counts every category within the two regions, not only 뮤지컬
      expect(both.facets.category.map((f) => f.value)).toEqual(expect.arrayContaining(['뮤지컬', '콘서트', '연극']));
    });

    it('filters by vendor, dates (overlap) and on sale', async () => {
      expect((await search('vendor=2')).items.map((i) => i.id)).toEqual([PHANTOM._id]);
      const january = await search('from=2027-01-01&to=2027-01-31');
      expect(january.items.map((i) => i.id).sort()).toEqual([LES_MIS._id, PHANTOM._id, WICKED._id].sort());
      const onSale = await search('on_sale=true');
      expect(onSale.items.every((i) => i.onSale)).toBe(true);
      expect(onSale.items.map((i) => i.id)).not.toContain(HAMLET._id);
    });

    it('pages stably: every run exactly once across the pages, and the same pages again', async () => {
      const pages = async () => {
        const ids: string[] = [];
        for (let page = 1; page <= 4; page += 1) {
          const answer = await search(`size=2&page=${page}`);
          expect(answer.total).toBe(RUNS.length);
          ids.push(...answer.items.map((i) => i.id));
        }
        return ids;
      };
      const first = await pages();
      expect(first).toHaveLength(RUNS.length);
      expect(new Set(first).size).toBe(RUNS.length);
      expect(await pages()).toEqual(first);
    });

    it('records each search in Search_log with what it matched as and how many results', async () => {
      await search('q=' + encodeURIComponent('ㄹㅁㅈㄹㅂ') + '&page=1');
      const [event] = events.of('Search_log');
      expect(event).toMatchObject({
        action: 'v1_search',
        fields: { keyword: 'ㄹㅁㅈㄹㅂ', result_count: 2, page: 1, matched_as: expect.stringContaining('choseong') },
      });
    });

    it.each([
      ['size=0', 'querystring.size'],
      ['size=101', 'querystring.size'],
      ['page=0', 'querystring.page'],
      ['from=2026-02-30', 'querystring.from'],
      ['from=2026-12-31&to=2026-12-01', 'querystring.from'],
      ['sort=newest', 'querystring.sort'],
      ['vendor=abc', 'querystring.vendor'],
      ['on_sale=yes', 'querystring.on_sale'],
      [`q=${'가'.repeat(201)}`, 'querystring.q'],
      [`region=${Array.from({ length: 21 }, (_, i) => `r${i}`).join('&region=')}`, 'querystring.region'],
    ])('refuses %s with a 422 naming the field', async (query, field) => {
      const res = await svc.app.inject({ method: 'GET', url: `/v1/search?${query}` });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: expect.stringContaining(field) })]));
      expect(events.of('Search_log')).toHaveLength(0);
    });

    it('suggests titles, artists and venues as a person types', async () => {
      const suggest = async (q: string, limit = 8): Promise<Suggestion[]> => {
        const res = await svc.app.inject({ method: 'GET', url: `/v1/suggest?q=${encodeURIComponent(q)}&limit=${limit}` });
        expect(res.statusCode, res.body).toBe(200);
        return res.json();
      };
      expect(await suggest('레미')).toEqual(expect.arrayContaining([{ text: '레미제라블', kind: 'title', id: LES_MIS._id }]));
      expect((await suggest('ㅇㅍㄹ'))[0]).toMatchObject({ text: '오페라의 유령', kind: 'title' });
      expect(await suggest('아이')).toEqual(expect.arrayContaining([expect.objectContaining({ text: '아이유', kind: 'artist' })]));
      expect(await suggest('세종')).toEqual(expect.arrayContaining([expect.objectContaining({ text: '세종문화회관 대극장', kind: 'venue' })]));
      expect(await suggest('레', 1)).toHaveLength(1);
      expect(await suggest('')).toEqual([]);
      expect((await svc.app.inject({ method: 'GET', url: '/v1/suggest?q=a&limit=0' })).statusCode).toBe(422);
      expect(events.of('Search_log')).toHaveLength(0);
    });

    it('sees a run added to the catalogue once the new index is swapped in, answering from the old one meanwhile', async () => {
      const added = makeRun({ _id: id(9), title: '지킬앤하이드', category: '뮤지컬', start_date: '2026.12.15', end_date: '2027.03.01' });
      await svc.container.stores.performances.upsertMany([added]);
      await svc.container.catalog.refresh();
      // the catalogue has changed; this request starts a rebuild and is answered by the index in use
      const during = await search('q=' + encodeURIComponent('지킬앤하이드'));
      expect(during.total === 0 || during.items[0]?.id === added._id).toBe(true);
      await svc.container.search.current();
      expect(await firstFor('지킬앤하이드')).toBe(added._id);
      expect(await firstFor('ㅈㅋㅇㅎㅇㄷ')).toBe(added._id);
    });
  });
}
