import { describe, expect, it } from 'vitest';
import { counted } from './plural.js';

describe('counted', () => {
  it('when the count is 1, then the noun is singular', () => {
    expect(counted(1, 'problem')).toBe('1 problem');
  });

  it('when the count is 0 or more than 1, then the noun is plural', () => {
    expect(counted(0, 'problem')).toBe('0 problems');
    expect(counted(2, 'problem')).toBe('2 problems');
  });

  it('when an irregular plural and a number format are given, then both are used', () => {
    expect(counted(1200, 'query', 'queries', (n) => n.toLocaleString('en-US'))).toBe('1,200 queries');
    expect(counted(1, 'query', 'queries')).toBe('1 query');
  });
});
