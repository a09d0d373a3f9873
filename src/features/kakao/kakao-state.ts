import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import type { IdGenerator } from '../../platform/ids.js';
import type { KakaoStateStore } from './kakao-state.store.js';

/** How long a login may take from `/kakao/getcode` to `/kakao/callback`. */
export const STATE_TTL_MS = 10 * 60_000;
/** Instances whose clocks disagree by up to this much still accept each other's states. */
const MAX_SKEW_MS = 60_000;
const NONCE_BYTES = 16;
const BINDING_BYTES = 32;
const KEY_BYTES = 32;
/** Used states are deleted now and then (per process), once expired. */
const PRUNE_EVERY_MS = 10 * 60_000;

const STATE_SHAPE = /^([0-9a-z]{1,11})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;
const BINDING_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export type StateRefusal = 'state_mismatch' | 'state_expired' | 'state_reused';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The key that signs login states: derived with HKDF-SHA256 from the JWT secret (as the token
 * cipher's default key is, with its own label), so every instance sharing the secret accepts the
 * states any of them issued.
 */
export function deriveKakaoStateKey(jwtSecret: string): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', jwtSecret, 'ticketmoa', 'kakao-state-key/v1', KEY_BYTES));
}

/**
 * The CSRF state of a Kakao login, bound to the browser that started it.
 *
 * `/kakao/getcode` makes a random binding value (the browser keeps it in a `__Host-` cookie) and a
 * state that carries its issue time and an HMAC over that time, a nonce and the SHA-256 of the
 * binding: nothing is written then. `/kakao/callback` accepts the state only when this service
 * signed it for the binding the browser sends back, within STATE_TTL_MS, and only once (its hash
 * is recorded in the shared database). A cookie planted by a sibling subdomain is refused: an
 * unprefixed cookie is not read, and a state signed for another browser's binding does not match.
 */
export class KakaoStates {
  private lastPrune = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: { key: Uint8Array; store: KakaoStateStore; clock: Clock; ids: Pick<IdGenerator, 'secret'> }) {
    if (deps.key.length !== KEY_BYTES) throw new Error(`the Kakao state key must be ${KEY_BYTES} bytes`);
  }

  /** A fresh state for Kakao's authorize URL and the binding value for the browser's cookie. */
  issue(): { state: string; binding: string } {
    const binding = this.deps.ids.secret(BINDING_BYTES).toString('base64url');
    const issued = this.deps.clock.now().getTime().toString(36);
    const nonce = this.deps.ids.secret(NONCE_BYTES).toString('base64url');
    return { state: `${issued}.${nonce}.${this.mac(issued, nonce, sha256(binding)).toString('base64url')}`, binding };
  }

  /** Checks the state against the browser's binding and uses it up; why not, when it is refused. */
  async redeem(state: string | undefined, binding: string | undefined): Promise<StateRefusal | undefined> {
    const parts = state === undefined ? null : STATE_SHAPE.exec(state);
    if (!parts || binding === undefined || !BINDING_SHAPE.test(binding)) return 'state_mismatch';
    const [, issued = '', nonce = '', mac = ''] = parts;
    const bindingHash = sha256(binding);
    // compared as text: another spelling of the same bytes (base64url's spare low bits) would be another state to use once more
    if (!timingSafeEqual(Buffer.from(mac), Buffer.from(this.mac(issued, nonce, bindingHash).toString('base64url')))) return 'state_mismatch';
    const now = this.deps.clock.now();
    const issuedAt = parseInt(issued, 36);
    const age = now.getTime() - issuedAt;
    if (age < -MAX_SKEW_MS || age >= STATE_TTL_MS) return 'state_expired';
    await this.maybePrune(now);
    const first = await this.deps.store.use(
      sha256(state!),
      { bindingHash, createdAt: new Date(issuedAt), expiresAt: new Date(issuedAt + STATE_TTL_MS) },
      now,
    );
    return first ? undefined : 'state_reused';
  }

  private mac(issued: string, nonce: string, bindingHash: string): Buffer {
    return createHmac('sha256', this.deps.key).update(`kakao-state/v1\n${issued}\n${nonce}\n${bindingHash}`).digest();
  }

  private async maybePrune(now: Date): Promise<void> {
    if (now.getTime() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now.getTime();
    // an expired state is refused by its own expiry, before its row is looked at
    await this.deps.store.prune(new Date(now.getTime() - MAX_SKEW_MS));
  }
}
