import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenCipher, isSealed, resolveKakaoTokenKey, SEALED_PREFIX } from './token-cipher.js';

const ids = { secret: (n: number) => randomBytes(n) };
const key = new Uint8Array(randomBytes(32));

describe('Kakao token cipher', () => {
  it('when a token is sealed, then it is not in the sealed text, opens back, and two seals differ (fresh IV)', () => {
    const cipher = createTokenCipher(key, ids);
    const a = cipher.seal('kakao-at-123', 'kakao-token');
    const b = cipher.seal('kakao-at-123', 'kakao-token');
    expect(a.startsWith(SEALED_PREFIX)).toBe(true);
    expect(a).not.toContain('kakao-at');
    expect(a).not.toBe(b);
    expect(cipher.open(a, 'kakao-token')).toBe('kakao-at-123');
    expect(isSealed(a)).toBe(true);
    expect(isSealed('kakao-at-123')).toBe(false);
  });

  it('when the key, the purpose or a byte differs, then it does not open', () => {
    const cipher = createTokenCipher(key, ids);
    const sealed = cipher.seal('secret', 'kakao-token');
    expect(createTokenCipher(new Uint8Array(randomBytes(32)), ids).open(sealed, 'kakao-token')).toBeUndefined();
    expect(cipher.open(sealed, 'kakao-ticket')).toBeUndefined();
    const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url');
    raw[raw.length - 20]! ^= 1;
    expect(cipher.open(SEALED_PREFIX + raw.toString('base64url'), 'kakao-token')).toBeUndefined();
    expect(cipher.open(`${SEALED_PREFIX}AAAA`, 'kakao-token')).toBeUndefined();
    expect(cipher.open('kakao-at-1', 'kakao-token')).toBeUndefined();
  });

  it('when no key is configured, then one is derived from the JWT secret: stable for a secret, different for another', () => {
    const a = resolveKakaoTokenKey(undefined, 'x'.repeat(40), true);
    expect(a.key).toHaveLength(32);
    expect(a.warning).toMatch(/KAKAO_TOKEN_KEY/);
    expect(resolveKakaoTokenKey(undefined, 'x'.repeat(40), false)).toEqual({ key: a.key });
    expect(Buffer.from(resolveKakaoTokenKey(undefined, 'y'.repeat(40), true).key).equals(Buffer.from(a.key))).toBe(false);
    expect(resolveKakaoTokenKey(key, 'x'.repeat(40), true)).toEqual({ key });
  });
});
