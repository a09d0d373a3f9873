import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { createJwtTokenSigner, type TokenClaims } from './token-signer.js';

const SECRET = 'k'.repeat(48);
const clock = manualClock('2026-11-27T03:00:00Z');
const signer = createJwtTokenSigner(SECRET, { clock });
const claims = (overrides: Partial<TokenClaims> = {}): TokenClaims => ({
  kind: 'access',
  userId: 'moa2026',
  sessionId: 'session-1',
  jti: 'jti-1',
  expiresAt: new Date('2026-11-27T03:30:00Z'),
  ...overrides,
});
const key = new TextEncoder().encode(SECRET);

describe('token signer', () => {
  it('when a token it signed comes back, then its claims are read', async () => {
    const token = await signer.sign(claims());
    expect(await signer.verify(token, 'access')).toEqual({ ok: true, claims: claims(), expired: false });
  });

  it('when the token is of the other kind, then it is refused', async () => {
    expect((await signer.verify(await signer.sign(claims()), 'refresh')).ok).toBe(false);
  });

  it('when the same secret signs with another algorithm, then the token is refused (HS256 is pinned)', async () => {
    const token = await new SignJWT({ sid: 'session-1', typ: 'access' })
      .setProtectedHeader({ alg: 'HS512' })
      .setIssuer('ticketmoa')
      .setSubject('moa2026')
      .setJti('jti-1')
      .setExpirationTime(Math.floor(Date.parse('2026-11-27T03:30:00Z') / 1000))
      .sign(key);
    expect((await signer.verify(token, 'access')).ok).toBe(false);
  });

  it('when another issuer signed with the same secret, then the token is refused', async () => {
    const token = await new SignJWT({ sid: 'session-1', typ: 'access' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('someone-else')
      .setSubject('moa2026')
      .setJti('jti-1')
      .setExpirationTime(Math.floor(Date.parse('2026-11-27T03:30:00Z') / 1000))
      .sign(key);
    expect((await signer.verify(token, 'access')).ok).toBe(false);
    expect((await signer.verify(token, 'access', { allowExpired: true })).ok).toBe(false);
  });

  it('when the token has expired by the injected clock, then it is refused unless expired tokens are allowed', async () => {
    const token = await signer.sign(claims());
    const later = createJwtTokenSigner(SECRET, { clock: manualClock('2026-11-27T03:30:01Z') });
    expect((await later.verify(token, 'access')).ok).toBe(false);
    expect(await later.verify(token, 'access', { allowExpired: true })).toEqual({ ok: true, claims: claims(), expired: true });
  });

  it('when an expired token was signed with another secret, then allowing expired tokens does not help', async () => {
    const other = createJwtTokenSigner('o'.repeat(48), { clock });
    const token = await other.sign(claims());
    const later = createJwtTokenSigner(SECRET, { clock: manualClock('2026-11-28T00:00:00Z') });
    expect((await later.verify(token, 'access', { allowExpired: true })).ok).toBe(false);
  });
});
