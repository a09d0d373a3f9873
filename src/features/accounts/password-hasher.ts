import { hash, verify } from '@node-rs/argon2';
import type { AuthConfig } from '../../config/config.js';

/** Slow salted hashing of the password string the frontend sends. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password or an unreadable hash; never throws for bad input. */
  verify(storedHash: string, password: string): Promise<boolean>;
  /** True when the hash was made with other parameters than today's (rehash after login). */
  needsRehash(storedHash: string): boolean;
}

// Argon2id; the numeric value is the package's const enum, which isolated modules cannot import.
const ARGON2ID = 2;

export function createArgon2PasswordHasher(config: Pick<AuthConfig, 'argon2MemoryKib' | 'argon2TimeCost'>): PasswordHasher {
  const options = {
    algorithm: ARGON2ID,
    memoryCost: config.argon2MemoryKib,
    timeCost: config.argon2TimeCost,
    parallelism: 1,
  };
  const current = `$argon2id$v=19$m=${options.memoryCost},t=${options.timeCost},p=${options.parallelism}$`;
  return {
    hash: (password) => hash(password, options),
    verify: async (storedHash, password) => {
      try {
        return await verify(storedHash, password);
      } catch {
        return false;
      }
    },
    needsRehash: (storedHash) => !storedHash.startsWith(current),
  };
}
