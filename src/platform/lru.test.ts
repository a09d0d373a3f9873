import { describe, expect, it } from 'vitest';
import { LruCache } from './lru.js';

describe('LRU cache', () => {
  it('when the budget is exceeded, then the least recently used entries go first', () => {
    const cache = new LruCache<string, string>(10, (v) => v.length);
    cache.set('a', 'aaaa');
    cache.set('b', 'bbbb');
    expect(cache.get('a')).toBe('aaaa');
    cache.set('c', 'cccc');
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('aaaa');
    expect(cache.get('c')).toBe('cccc');
  });

  it('never keeps a value larger than the whole budget, and replaces values in place', () => {
    const cache = new LruCache<string, string>(5, (v) => v.length);
    cache.set('big', 'x'.repeat(6));
    expect(cache.get('big')).toBeUndefined();
    cache.set('k', 'abc');
    cache.set('k', 'de');
    expect(cache.get('k')).toBe('de');
    expect(cache.size).toBe(1);
  });
});
