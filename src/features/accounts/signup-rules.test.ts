import { describe, expect, it } from 'vitest';
import { accountIdError, normalisePhone, validateSignup } from './signup-rules.js';

const input = {
  username: '모아',
  id: 'moa2026',
  pw: 'pw',
  email: '',
  phoneNumber: '',
  gender: 'M',
  birthday: '2000-02-29',
  agreeMarketing: 'true',
};
const fieldsOf = (overrides: Partial<typeof input>) => {
  const r = validateSignup({ ...input, ...overrides }, '2026-11-27');
  return r.ok ? [] : r.errors.map((e) => e.field);
};

describe('signup rules', () => {
  it.each(['abcd', 'a1234', 'ABCDEFGHIJKLMNO', '1a2b'])('when the id is %s, then it is accepted', (id) => {
    expect(accountIdError(id)).toBeUndefined();
  });

  it.each(['abc', '12345', 'abcdefghijklmnop', 'moa_2026', 'moa 2026', '모아모아', 'kakao:1'])('when the id is %s, then it is refused', (id) => {
    expect(accountIdError(id)).toBeDefined();
  });

  it('when the birthday is a leap day, then it is real; 2001-02-29 is not', () => {
    expect(fieldsOf({})).toEqual([]);
    expect(fieldsOf({ birthday: '2001-02-29' })).toEqual(['birthday']);
    expect(fieldsOf({ birthday: '1899-12-31' })).toEqual(['birthday']);
    expect(fieldsOf({ birthday: '2026-11-26' })).toEqual([]);
  });

  it('when phone numbers carry hyphens or spaces, then they are kept as digits', () => {
    expect(normalisePhone('010-1234-5678')).toBe('01012345678');
    expect(normalisePhone('02 123 4567')).toBe('021234567');
    expect(normalisePhone('+82-10-1234-5678')).toBeUndefined();
    expect(normalisePhone('0101234567890')).toBeUndefined();
  });

  it('when email is given, then it must look like an address', () => {
    expect(fieldsOf({ email: 'a@b.kr' })).toEqual([]);
    expect(fieldsOf({ email: 'a@b' })).toEqual(['email']);
    expect(fieldsOf({ email: 'a b@c.kr' })).toEqual(['email']);
  });

  it('when agreeMarketing is neither true nor false, then it is refused; a JSON boolean is accepted', () => {
    expect(fieldsOf({ agreeMarketing: 'yes' })).toEqual(['agreeMarketing']);
    const r = validateSignup({ ...input, agreeMarketing: false }, '2026-11-27');
    expect(r.ok && r.value.agreeMarketing).toBe(false);
  });
});
