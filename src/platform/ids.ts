import { randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';

export interface IdGenerator {
  /** A new 24-hex-character id in MongoDB ObjectId layout (seconds, random, counter). */
  objectId(): string;
  /** An opaque random id (event ids, session ids). */
  uuid(): string;
  /** `length` bytes from the OS CSPRNG, for values that must be unguessable (one-time tickets, nonces). */
  secret(length: number): Buffer;
}

export const OBJECT_ID = /^[0-9a-f]{24}$/;

export function createIdGenerator(clock: Clock): IdGenerator {
  const processRandom = randomBytes(5).toString('hex');
  let counter = randomBytes(3).readUIntBE(0, 3);
  return {
    objectId() {
      const seconds = Math.floor(clock.now().getTime() / 1000) >>> 0;
      counter = (counter + 1) & 0xffffff;
      return seconds.toString(16).padStart(8, '0') + processRandom + counter.toString(16).padStart(6, '0');
    },
    uuid: () => globalThis.crypto.randomUUID(),
    secret: (length) => randomBytes(length),
  };
}
