import { duplicateKey, type Performance } from '../features/catalog/performance.js';
import { addDays } from '../platform/kst.js';

/** Deterministic pseudo-random numbers (mulberry32), so every bench run sees the same catalogue. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REGIONS = ['서울', '서울', '서울', '수도권', '수도권', '경상', '경상', '전라', '충청', '강원', '제주'];
const CATEGORIES = ['콘서트', '뮤지컬', '연극', '클래식', '전시/행사', '국악', '무용'];
const NAMES = [
  '쇼팽', '베토벤', '모차르트', '브람스', '라흐마니노프', '차이콥스키', '드뷔시', '바흐', '슈베르트', '리스트',
  '아이유', '성시경', '임영웅', '박효신', '이승철', '거미', '자우림', '잔나비', '넬', '혁오',
  '조승우', '옥주현', '홍광호', '김준수', '정선아', '최재림', '차지연', '민우혁', '박은태', '전동석',
];
const NOUNS = [
  '피아노', '바이올린', '첼로', '오케스트라', '리사이틀', '독주회', '협주곡', '교향곡', '밴드', '라이브',
  '투어', '앙코르', '페스티벌', '발라드', '록', '재즈', '힙합', '트로트', '뮤지컬', '오리지널',
  '내한', '라이선스', '창작', '초연', '앙상블', '무대', '가족', '어린이', '코미디', '드라마',
  '사랑', '이별', '청춘', '여름', '겨울', '크리스마스', '연말', '봄날', '가을밤', '별빛',
];
const SENTENCES = [
  '관객과 함께 호흡하는 특별한 무대가 펼쳐집니다',
  '오랜 기다림 끝에 다시 돌아온 공연입니다',
  '섬세한 연주와 깊이 있는 해석으로 사랑받아 온 아티스트의 무대',
  '화려한 무대 연출과 감동적인 음악이 어우러집니다',
  '전 세대가 함께 즐길 수 있는 따뜻한 이야기',
  '매진 행렬을 이어온 화제의 작품이 관객을 찾아갑니다',
  '한 편의 영화 같은 스토리와 귀에 감기는 넘버',
  '공연장 전체를 울리는 압도적인 사운드를 경험하세요',
  '작은 공간에서 만나는 가까운 거리의 감성 무대',
  '초연 이후 꾸준히 재공연되며 작품성을 인정받았습니다',
  '새롭게 편곡한 곡들과 미공개 신곡을 선보입니다',
  '정통 클래식의 깊은 울림을 전하는 무대',
  '웃음과 눈물이 함께하는 유쾌한 시간',
  '실력파 배우들의 열연이 돋보이는 작품',
  '국내 최고의 연주자들이 한자리에 모였습니다',
];

/** The id of the i-th synthetic run (24 hex characters). */
export function syntheticRunId(i: number): string {
  return (0xa0000000 + i).toString(16).padStart(8, '0') + '0'.repeat(10) + i.toString(16).padStart(6, '0');
}

/** `count` valid runs spread over two years around `today`, with Korean text of varied length. */
export function syntheticRuns(count: number, seed: number, today: string): Performance[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const runs: Performance[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = syntheticRunId(i);
    const name = pick(NAMES);
    const category = pick(CATEGORIES);
    const title = `${name} ${pick(NOUNS)} ${pick(NOUNS)} ${i}`;
    const region = pick(REGIONS);
    const start = addDays(today, Math.floor(random() * 730) - 365);
    const sentences: string[] = [];
    const length = 2 + Math.floor(random() * 10);
    for (let s = 0; s < length; s += 1) sentences.push(`${pick(NAMES)}의 ${pick(NOUNS)} ${pick(SENTENCES)}.`);
    runs.push({
      _id: id,
      title,
      duplicatekey: duplicateKey(title, start),
      category,
      location: `${region} 공연장 ${i % 97}`,
      region,
      price: [{ seat: 'R석', price: '99,000원' }],
      start_date: start,
      end_date: addDays(start, Math.floor(random() * 60)),
      running_time: '120분',
      rating: '전체관람가',
      casting: null,
      artist: [{ artist_name: name, artist_url: null }],
      description: random() < 0.05 ? null : sentences.join(' '),
      poster_url: `https://img.example.com/${id}.jpg`,
      open_date: null,
      pre_open_date: null,
      hosts: [{ site_id: 1 + (i % 3), ticket_url: `https://tickets.example.com/${id}` }],
    });
  }
  return runs;
}
