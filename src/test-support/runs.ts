import { duplicateKey, type Performance } from '../features/catalog/performance.js';

let counter = 0;

/** A valid run with sensible defaults; tests override what they care about. */
export function makeRun(overrides: Partial<Performance> = {}): Performance {
  counter += 1;
  const id = overrides._id ?? `a0000000000000000000${counter.toString(16).padStart(4, '0')}`;
  const title = overrides.title ?? `테스트 공연 ${counter}`;
  const start = overrides.start_date ?? '2026.12.01';
  return {
    _id: id,
    title,
    duplicatekey: overrides.duplicatekey ?? duplicateKey(title, start),
    category: '콘서트',
    location: '예술의전당',
    region: '서울',
    price: [{ seat: 'R석', price: '99,000원' }],
    start_date: start,
    end_date: '2026.12.31',
    running_time: '120분',
    rating: '전체관람가',
    casting: null,
    artist: null,
    description: null,
    poster_url: `https://img.example.com/${id}.jpg`,
    open_date: null,
    pre_open_date: null,
    hosts: [{ site_id: 1, ticket_url: `https://tickets.example.com/${id}` }],
    ...overrides,
  };
}
