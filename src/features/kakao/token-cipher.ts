import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import type { IdGenerator } from '../../platform/ids.js';

/**
 * AES-256-GCM for what the Kakao login keeps in the database: Kakao's tokens on a session and
 * the contents of a one-time ticket. A sealed value is `enc:v1:<base64url(iv | ciphertext | tag)>`;
 * the purpose is bound in as associated data, so a value sealed for one use does not open as another.
 */
export interface TokenCipher {
  seal(plain: string, purpose: SealPurpose): string;
  /** The plain text, or undefined when the value was not sealed with this key for this purpose. */
  open(sealed: string, purpose: SealPurpose): string | undefined;
}

export type SealPurpose = 'kakao-token' | 'kakao-ticket';

export const SEALED_PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export const isSealed = (value: string): boolean => value.startsWith(SEALED_PREFIX);

export function createTokenCipher(key: Uint8Array, ids: Pick<IdGenerator, 'secret'>): TokenCipher {
  if (key.length !== KEY_BYTES) throw new Error(`the Kakao token key must be ${KEY_BYTES} bytes`);
  return {
    seal(plain, purpose) {
      const iv = ids.secret(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(purpose));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return SEALED_PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    },
    open(sealed, purpose) {
      if (!isSealed(sealed)) return undefined;
      const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(purpose));
        decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        // Another key (KAKAO_TOKEN_KEY or JWT_SECRET changed) or a tampered value.
        return undefined;
      }
    },
  };
}

export interface ResolvedTokenKey {
  key: Uint8Array;
  /** Set when the operator should know something about the key in use. */
  warning?: string;
}

/**
 * KAKAO_TOKEN_KEY when set (loadConfig checked it is 32 random-looking bytes); otherwise a key
 * derived with HKDF-SHA256 from the JWT secret in use, which production requires to be strong.
 * Changing the JWT secret then changes this key: stored Kakao tokens and live tickets stop
 * opening (logout skips Kakao, the ticket is refused) and nothing else breaks.
 */
export function resolveKakaoTokenKey(configured: Uint8Array | undefined, jwtSecret: string, kakaoEnabled: boolean): ResolvedTokenKey {
  if (configured !== undefined) return { key: configured };
  const key = new Uint8Array(hkdfSync('sha256', jwtSecret, 'ticketmoa', 'kakao-token-key/v1', KEY_BYTES));
  return kakaoEnabled
    ? {
        key,
        warning: 'KAKAO_TOKEN_KEY is not set; Kakao tokens are encrypted with a key derived from JWT_SECRET (changing it makes them unreadable)',
      }
    : { key };
}
