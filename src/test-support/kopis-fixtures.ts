/**
 * KOPIS performances in the recorded shapes of docs/kopis-api.md, for the fake KOPIS
 * server. `kopisFixtureRuns()` is the fixture set (56 runs over the nine genres and the
 * provinces, each with some of the recorded quirks); `generatedKopisRuns(n)` makes larger sets
 * (the calls-per-1,000-runs figures).
 */
import { addDays } from '../platform/kst.js';

export type DetailOrder = 'documented' | 'mt13-first' | 'mt10-last' | 'mt10-after-styurls';

export interface FakeKopisRun {
  mt20id: string;
  prfnm: string;
  prfpdfrom: string;
  prfpdto: string;
  fcltynm: string;
  poster: string;
  area: string;
  genrenm: string;
  openrun: 'Y' | 'N';
  prfstate: string;
  mt10id: string;
  prfcast: string;
  prfcrew: string;
  prfruntime: string;
  prfage: string;
  entrpsnm: string;
  pcseguidance: string;
  sty: string;
  dtguidance: string;
  child: 'Y' | 'N';
  /** `yyyy-MM-dd HH:mm:ss`: afterdate filters on it (and on frstregdt). */
  updatedate: string;
  frstregdt: string;
  styurls: string[];
  relates: { name?: string; url: string }[];
  quirks: { order: DetailOrder; omit: string[] };
}

/** The day the fixtures are built around (a Wednesday): tests run with TICKETMOA_NOW on it. */
export const FIXTURE_TODAY = '2026.11.25';
export const FIXTURE_NOW = '2026-11-25T10:00:00+09:00';

export const GENRES = ['연극', '무용(서양/한국무용)', '대중무용', '서양음악(클래식)', '한국음악(국악)', '대중음악', '복합', '서커스/마술', '뮤지컬'];

/** Province label and signgucode. */
export const AREAS: readonly [string, string][] = [
  ['서울특별시', '11'],
  ['부산광역시', '26'],
  ['대구광역시', '27'],
  ['인천광역시', '28'],
  ['광주광역시', '29'],
  ['대전광역시', '30'],
  ['울산광역시', '31'],
  ['세종특별자치시', '36'],
  ['경기도', '41'],
  ['강원특별자치도', '42'],
  ['충청북도', '43'],
  ['충청남도', '44'],
  ['전북특별자치도', '45'],
  ['전라남도', '46'],
  ['경상북도', '47'],
  ['경상남도', '48'],
  ['제주특별자치도', '50'],
];

const WORDS = [
  '봄날',
  '푸른 밤',
  '달빛',
  '바람의 노래',
  '시간여행자',
  '겨울 정원',
  '작은 별',
  '그 여름',
  '오래된 편지',
  '붉은 새',
  '첫사랑',
  '등대지기',
  '파도',
  '숲의 소리',
];
const VENUES = [
  '예술의전당 (오페라극장)',
  '세종문화회관 (대극장)',
  '대학로 TOM (1관)',
  '부산문화회관 (대극장)',
  '대구오페라하우스 (본관)',
  '세빛섬 (가빛섬)',
];
const SCHEDULES = [
  '화요일 ~ 금요일(19:30), 토요일(15:00,19:00)',
  '토요일 ~ 일요일(12:30)',
  '월요일 ~ 금요일(20:00)',
  '목요일(20:00), HOL(17:00)',
  '공연일정 추후 공지',
  '',
];
const VENDOR_URLS = [
  { name: '인터파크', url: 'http://ticket.interpark.com/Ticket/Goods/GoodsInfo.asp?GoodsCode=26003199 ' },
  { name: '놀유니버스', url: 'https://tickets.interpark.com/goods/25012345' },
  { name: '예스24', url: 'http://ticket.yes24.com/Perf/50551' },
  { name: '티켓링크', url: 'https://www.ticketlink.co.kr/product/55555' },
  { name: '멜론티켓', url: 'https://ticket.melon.com/performance/index.htm?prodId=210000' },
  { name: '대학로티켓닷컴', url: 'http://www.daehakroticket.com/ticket_info.php?no=1234' },
];
const ORDERS: DetailOrder[] = ['documented', 'mt13-first', 'mt10-last', 'mt10-after-styurls'];
const OPTIONAL = ['prfcrew', 'entrpsnm', 'openrun', 'styurls', 'updatedate'];

/** A small deterministic generator (mulberry32), so every test sees the same runs. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` runs starting around FIXTURE_TODAY (most within the next 90 days), ids PF300000 + i. */
export function generatedKopisRuns(n: number, seed = 16): FakeKopisRun[] {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  return Array.from({ length: n }, (_, i) => {
    const id = `PF${300000 + i}`;
    const genre = GENRES[i % GENRES.length]!;
    const [area] = AREAS[i % AREAS.length]!;
    const from = addDays(FIXTURE_TODAY, Math.floor(rnd() * 100) - 20);
    const to = addDays(from, Math.floor(rnd() * 40));
    const vendors = [...VENDOR_URLS].sort(() => rnd() - 0.5).slice(0, 1 + Math.floor(rnd() * 3));
    const quirkIndex = i % 7;
    return {
      mt20id: id,
      prfnm: `${pick(WORDS)} ${i + 1}`,
      prfpdfrom: from,
      prfpdto: to,
      fcltynm: pick(VENUES),
      poster: `http://www.kopis.or.kr/upload/pfmPoster/PF_${id}_260313_172418.gif${quirkIndex === 1 ? ' ' : ''}`,
      area,
      genrenm: genre,
      openrun: 'N',
      prfstate: from > FIXTURE_TODAY ? '공연예정' : '공연중',
      mt10id: `FC00${1000 + (i % 50)}`,
      prfcast: quirkIndex === 2 ? ' ' : `배우${i}, 배우${i + 1} 등`,
      prfcrew: `연출가${i % 10}`,
      prfruntime: `${60 + (i % 4) * 30}분`,
      prfage: i % 3 === 0 ? '전체 관람가' : '만 7세 이상',
      entrpsnm: quirkIndex === 3 ? ' ' : '(주)페이지터너',
      pcseguidance: i % 4 === 0 ? '전석 30,000원' : `R석 ${100 + (i % 5) * 10},000원, S석 ${80 + (i % 5) * 10},000원`,
      sty: quirkIndex === 4 ? ' ' : `${pick(WORDS)}에 관한 이야기. 공연 ${i + 1}의 줄거리.`,
      dtguidance: SCHEDULES[i % SCHEDULES.length]!,
      child: i % 13 === 5 ? 'Y' : 'N',
      updatedate: '2026-10-01 15:00:00',
      frstregdt: '2026-09-01 10:00:00',
      styurls: quirkIndex === 5 ? [] : Array.from({ length: 1 + (i % 3) }, (_, k) => `http://www.kopis.or.kr/upload/pfmIntroImage/PF_${id}_${k}.png`),
      relates: vendors.map((v, k) => (quirkIndex === 6 && k === 0 ? { url: v.url } : v)),
      quirks: { order: ORDERS[i % ORDERS.length]!, omit: quirkIndex === 0 && i % 2 === 0 ? OPTIONAL : [] },
    };
  });
}

/** The fixture set: 56 runs over every genre and province, with the recorded quirks among them. */
export function kopisFixtureRuns(): FakeKopisRun[] {
  const runs = generatedKopisRuns(56, 2026);
  // An open run, a children's musical, a weekday-only run and a run already over, by hand.
  runs[7] = { ...runs[7]!, openrun: 'Y', prfpdfrom: '2025.01.01', prfpdto: '2027.12.31', prfnm: '난타 상설공연' };
  runs[8] = { ...runs[8]!, child: 'Y', genrenm: '뮤지컬', prfnm: '꼬마버스 타요 뮤지컬' };
  runs[9] = { ...runs[9]!, prfnm: '평일의 콘서트', prfpdfrom: '2026.11.01', prfpdto: '2026.12.31', dtguidance: '화요일 ~ 금요일(19:30)' };
  runs[10] = { ...runs[10]!, prfnm: '지난 공연', prfpdfrom: '2026.09.01', prfpdto: '2026.09.30', prfstate: '공연완료' };
  return runs;
}
