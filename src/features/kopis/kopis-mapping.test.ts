import { describe, expect, it } from 'vitest';
import { categoryOf, regionOfArea, SITE, siteOfUrl } from './kopis-codes.js';
import type { KopisDetail } from './kopis.client.js';
import { absoluteAsset, hostsOf, peopleOf, pricesOf, runOfKopis } from './kopis-mapping.js';

const ID = 'ab0000000000000000000001';
const detail = (o: Partial<KopisDetail> = {}): KopisDetail => ({
  mt20id: 'PF100',
  prfnm: '오페라의 유령',
  prfpdfrom: '2026.12.01',
  prfpdto: '2027.02.28',
  fcltynm: '샤롯데씨어터 (샤롯데씨어터)',
  poster: 'http://www.kopis.or.kr/upload/pfmPoster/PF_PF100.gif',
  area: '서울특별시',
  genrenm: '뮤지컬',
  openrun: 'N',
  prfstate: '공연예정',
  prfcast: '조승우, 최재림 등',
  prfcrew: '해롤드 프린스',
  prfruntime: '2시간 30분',
  prfage: '만 8세 이상',
  pcseguidance: 'VIP석 190,000원, R석 160,000원',
  sty: '파리 오페라하우스의 유령 이야기',
  dtguidance: '화요일 ~ 금요일(19:30), 토요일 ~ 일요일(14:00,19:00)',
  styurls: [],
  relates: [
    { name: '놀유니버스', url: 'http://ticket.interpark.com/Ticket/Goods/GoodsInfo.asp?GoodsCode=26003199' },
    { name: undefined, url: 'http://ticket.yes24.com/Perf/50551' },
  ],
  ...o,
});

describe('KOPIS performances as catalogue runs', () => {
  it('when a detail is mapped, then every product field is filled from it', () => {
    const r = runOfKopis(ID, detail());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.run).toMatchObject({
      _id: ID,
      title: '오페라의 유령',
      duplicatekey: '오페라의유령2026.12.01',
      category: '뮤지컬',
      location: '샤롯데씨어터 (샤롯데씨어터)',
      region: '서울',
      price: [
        { seat: 'VIP석', price: '190,000원' },
        { seat: 'R석', price: '160,000원' },
      ],
      start_date: '2026.12.01',
      end_date: '2027.02.28',
      running_time: '2시간 30분',
      rating: '만 8세 이상',
      casting: [
        { actor: '조승우', role: null },
        { actor: '최재림', role: null },
      ],
      artist: [
        { artist_name: '조승우', artist_url: null },
        { artist_name: '최재림', artist_url: null },
        { artist_name: '해롤드 프린스', artist_url: null },
      ],
      description: '파리 오페라하우스의 유령 이야기',
      poster_url: 'http://www.kopis.or.kr/upload/pfmPoster/PF_PF100.gif',
      schedule: '화요일 ~ 금요일(19:30), 토요일 ~ 일요일(14:00,19:00)',
      hosts: [
        { site_id: 1, ticket_url: 'http://ticket.interpark.com/Ticket/Goods/GoodsInfo.asp?GoodsCode=26003199' },
        { site_id: 2, ticket_url: 'http://ticket.yes24.com/Perf/50551' },
      ],
    });
  });

  it('when fields are missing, then they are null and the run is still valid; dates that are not dates make it unusable', () => {
    const bare = runOfKopis(ID, { mt20id: 'PF1', prfnm: '제목', prfpdfrom: '2026.12.01', prfpdto: '2026.12.01', styurls: [], relates: [] });
    expect(bare.ok && bare.run).toMatchObject({ price: null, casting: null, artist: null, hosts: [], region: null, category: null, schedule: null });
    expect(runOfKopis(ID, detail({ prfpdfrom: '2026-12-01' })).ok).toBe(false);
    expect(runOfKopis(ID, detail({ prfnm: undefined })).ok).toBe(false);
  });

  it('when the list item has what the detail lacks, then the list item fills it', () => {
    const r = runOfKopis(ID, detail({ area: undefined, poster: undefined }), { mt20id: 'PF100', area: '부산광역시', poster: 'http://p/x.jpg' });
    expect(r.ok && [r.run.region, r.run.poster_url]).toEqual(['경상', 'http://p/x.jpg']);
  });

  it('when a run is an open run still playing, then it ends 상시공연; once over, its last date stays', () => {
    const open = runOfKopis(ID, detail({ openrun: 'Y' }));
    expect(open.ok && open.run.end_date).toBe('상시공연');
    const over = runOfKopis(ID, detail({ openrun: 'Y', prfstate: '공연완료' }));
    expect(over.ok && over.run.end_date).toBe('2027.02.28');
  });

  it.each([
    ['연극', '연극'],
    ['뮤지컬', '뮤지컬'],
    ['대중음악', '콘서트'],
    ['서양음악(클래식)', '클래식'],
    ['한국음악(국악)', '클래식'],
    ['무용(서양/한국무용)', '무용'],
    ['대중무용', '무용'],
    ['서커스/마술', '전시/행사'],
    ['복합', '전시/행사'],
    ['낭독공연', '낭독공연'],
  ])('when the genre is %s, then the category is %s', (genre, category) => {
    expect(categoryOf(genre, 'N')).toBe(category);
  });

  it('when the show is for children, then it is 아동/가족 whatever its genre', () => {
    expect(categoryOf('뮤지컬', 'Y')).toBe('아동/가족');
  });

  it.each([
    ['서울특별시', '서울'],
    ['경기도', '수도권'],
    ['인천광역시', '수도권'],
    ['부산광역시', '경상'],
    ['경상남도', '경상'],
    ['광주광역시', '전라'],
    ['전북특별자치도', '전라'],
    ['전라북도', '전라'],
    ['강원특별자치도', '강원'],
    ['강원도', '강원'],
    ['세종특별자치시', '충청'],
    ['충청북도', '충청'],
    ['제주특별자치도', '제주'],
    ['해외', null],
  ])('when the area is %s, then the region is %s', (area, region) => {
    expect(regionOfArea(area)).toBe(region);
  });

  it('when booking sites are named differently or not at all, then the vendor comes from the URL host', () => {
    expect(siteOfUrl('http://ticket.interpark.com/x')).toBe(SITE.interpark);
    expect(siteOfUrl('https://tickets.interpark.com/goods/1')).toBe(SITE.interpark);
    expect(siteOfUrl('http://ticket.yes24.com/Perf/1')).toBe(SITE.yes24);
    expect(siteOfUrl('https://www.ticketlink.co.kr/product/1')).toBe(SITE.ticketlink);
    expect(siteOfUrl('https://ticket.melon.com/performance/index.htm?prodId=1')).toBe(SITE.melon);
    expect(siteOfUrl('http://www.daehakroticket.com/a')).toBe(SITE.other);
    expect(siteOfUrl('http://evil.example/interpark.com')).toBe(SITE.other);
    expect(siteOfUrl('javascript:alert(1)')).toBeUndefined();
    expect(siteOfUrl('not a url')).toBeUndefined();
  });

  it('when one vendor is listed twice, then it is one host with the first URL (a single vendor makes the run exclusive)', () => {
    const hosts = hostsOf({
      relates: [
        { name: '인터파크', url: 'http://ticket.interpark.com/1' },
        { name: '놀유니버스', url: 'https://tickets.interpark.com/2' },
      ],
    });
    expect(hosts).toEqual([{ site_id: 1, ticket_url: 'http://ticket.interpark.com/1' }]);
  });

  it('when price and cast texts vary, then they are read conservatively', () => {
    expect(pricesOf('전석 30,000원')).toEqual([{ seat: '전석', price: '30,000원' }]);
    expect(pricesOf('R석 150,000원,S석 154,000원')).toEqual([
      { seat: 'R석', price: '150,000원' },
      { seat: 'S석', price: '154,000원' },
    ]);
    expect(pricesOf('무료')).toEqual([{ seat: null, price: '무료' }]);
    expect(pricesOf('5000원')).toEqual([{ seat: null, price: '5000원' }]);
    expect(pricesOf(undefined)).toBeNull();
    expect(peopleOf('김철수, 이영희 등')).toEqual(['김철수', '이영희']);
    expect(peopleOf('김철수,김철수')).toEqual(['김철수']);
  });

  it('when a poster path is relative, then it is made absolute on the KOPIS host; other schemes are dropped', () => {
    expect(absoluteAsset('/upload/pfmPoster/a.gif')).toBe('http://www.kopis.or.kr/upload/pfmPoster/a.gif');
    expect(absoluteAsset('javascript:x')).toBeNull();
  });
});
