import { describe, expect, it } from 'vitest';
import { duplicateKey, mergeHosts, parsePerformance } from './performance.js';

const valid = {
  _id: '65a1b2c3d4e5f60718293a4b',
  title: '뮤지컬 〈레미제라블〉 - 서울',
  start_date: '2026.12.01',
  end_date: '상시공연',
  hosts: [
    { site_id: 2, ticket_url: 'https://t/2' },
    { site_id: 1, ticket_url: null },
  ],
};

describe('parsing a performance record', () => {
  it('when the record is valid, then it is normalised with every field present', () => {
    const r = parsePerformance({ ...valid, unknown_field: 1 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.duplicatekey).toBe('뮤지컬레미제라블서울2026.12.01');
    expect(r.value.hosts.map((h) => h.site_id)).toEqual([1, 2]);
    expect(r.value.price).toBeNull();
    expect(r.value.artist).toBeNull();
    expect('unknown_field' in r.value).toBe(false);
  });

  it.each([
    [{ ...valid, _id: 'xyz' }, '_id'],
    [{ ...valid, title: '  ' }, 'title'],
    [{ ...valid, start_date: '2026-12-01' }, 'start_date'],
    [{ ...valid, start_date: '2026.02.30' }, 'start_date'],
    [{ ...valid, end_date: '2026.11.01' }, 'end_date is before'],
    [{ ...valid, hosts: [{ site_id: 'abc' }] }, 'site_id'],
    [{ ...valid, price: 'free' }, 'price'],
    [{ ...valid, location: { a: 1 } }, 'location'],
    [[valid], 'object'],
  ])('rejects %j with a reason naming the problem', (input, reason) => {
    const r = parsePerformance(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('keeps one host per vendor, preferring the one with a ticket URL', () => {
    const merged = mergeHosts(
      [
        { site_id: 1, ticket_url: 'a' },
        { site_id: 2, ticket_url: null },
      ],
      [
        { site_id: 2, ticket_url: 'b' },
        { site_id: 1, ticket_url: null },
        { site_id: 3, ticket_url: 'c' },
      ],
    );
    expect(merged).toEqual([
      { site_id: 1, ticket_url: 'a' },
      { site_id: 2, ticket_url: 'b' },
      { site_id: 3, ticket_url: 'c' },
    ]);
  });

  it('builds the duplicate key from Hangul, Latin letters and digits only', () => {
    expect(duplicateKey('[서울] IU 콘서트 2026!', '2026.12.24')).toBe('서울IU콘서트20262026.12.24');
  });
});
