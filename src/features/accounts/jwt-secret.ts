// A signing key, not an id: it must come from the OS's CSPRNG, never from a generator tests control.
// eslint-disable-next-line no-restricted-imports -- a key from the OS CSPRNG, not an id
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Config, MIN_JWT_SECRET_LENGTH } from '../../config/config.js';

export interface ResolvedSecret {
  secret: string;
  /** Set when the operator should know something about the secret in use. */
  warning?: string;
}

export const GENERATED_SECRET_FILE = 'jwt-secret';

/**
 * The configured JWT_SECRET, or outside production one generated once per data dir and kept
 * there, so that tokens survive restarts of a development install. Production never gets here
 * without a secret (loadConfig refuses to start).
 */
export function resolveJwtSecret(config: Pick<Config, 'nodeEnv' | 'dataDir' | 'auth'>): ResolvedSecret {
  const configured = config.auth.jwtSecret;
  if (configured !== undefined) {
    return configured.length < MIN_JWT_SECRET_LENGTH
      ? { secret: configured, warning: `JWT_SECRET is shorter than ${MIN_JWT_SECRET_LENGTH} characters; production refuses it` }
      : { secret: configured };
  }
  if (config.nodeEnv === 'production') throw new Error('JWT_SECRET is required in production');
  const file = path.join(config.dataDir, GENERATED_SECRET_FILE);
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= MIN_JWT_SECRET_LENGTH) {
      return { secret: stored, warning: `JWT_SECRET is not set; using the development secret in ${file}` };
    }
  }
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { secret, warning: `JWT_SECRET is not set; generated a development secret in ${file}` };
}
