import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Clock } from '../../platform/clock.js';

export type TokenKind = 'access' | 'refresh';

export interface TokenClaims {
  kind: TokenKind;
  userId: string;
  sessionId: string;
  /** Unique per token; for refresh tokens the session's current one. */
  jti: string;
  expiresAt: Date;
}

export type VerifyOutcome = { ok: true; claims: TokenClaims; expired: boolean } | { ok: false };

/** Signs and checks this service's tokens. */
export interface TokenSigner {
  sign(claims: TokenClaims): Promise<string>;
  /**
   * Checks signature, algorithm, issuer and kind. An expired token is refused unless
   * `allowExpired`, which still requires a genuine signature (logout with a stale token).
   */
  verify(token: string, kind: TokenKind, options?: { allowExpired?: boolean }): Promise<VerifyOutcome>;
}

const ISSUER = 'ticketmoa';
const ALGORITHM = 'HS256';
const MAX_TOKEN_LENGTH = 4096;

function claimsOf(payload: JWTPayload, kind: TokenKind): TokenClaims | undefined {
  const { sub, sid, typ, jti, exp } = payload as JWTPayload & { sid?: unknown; typ?: unknown };
  if (typ !== kind || typeof sub !== 'string' || typeof sid !== 'string' || typeof jti !== 'string') return undefined;
  if (typeof exp !== 'number') return undefined;
  return { kind, userId: sub, sessionId: sid, jti, expiresAt: new Date(exp * 1000) };
}

export function createJwtTokenSigner(secret: string, deps: { clock: Clock }): TokenSigner {
  const key = new TextEncoder().encode(secret);
  return {
    async sign(claims) {
      const iat = Math.floor(deps.clock.now().getTime() / 1000);
      return new SignJWT({ sid: claims.sessionId, typ: claims.kind })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setIssuer(ISSUER)
        .setSubject(claims.userId)
        .setJti(claims.jti)
        .setIssuedAt(iat)
        .setExpirationTime(Math.floor(claims.expiresAt.getTime() / 1000))
        .sign(key);
    },
    async verify(token, kind, options = {}) {
      if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return { ok: false };
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: ISSUER,
          currentDate: deps.clock.now(),
        });
        const claims = claimsOf(payload, kind);
        return claims ? { ok: true, claims, expired: false } : { ok: false };
      } catch (err) {
        // jose checks the signature before the claims, so an expiry error means a genuine token.
        if (options.allowExpired && err instanceof errors.JWTExpired) {
          const claims = claimsOf(err.payload, kind);
          if (claims && err.payload.iss === ISSUER) return { ok: true, claims, expired: true };
        }
        return { ok: false };
      }
    },
  };
}
