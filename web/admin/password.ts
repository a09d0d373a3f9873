import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * The legacy frontend's password transform (docs/contract.md §2): the server only ever sees
 * base64(hex(HMAC-SHA256(password, key "encore-team1"))). Plain JS rather than WebCrypto, which
 * browsers offer only on https or localhost, and the dashboard may be opened over plain http.
 */
export function legacyPassword(password: string): string {
  return btoa(bytesToHex(hmac(sha256, utf8ToBytes('encore-team1'), utf8ToBytes(password))));
}
