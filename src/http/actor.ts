import type { FastifyRequest } from 'fastify';
import type { Actor } from '../pipeline/events.js';

/** The signed-in user a request acts for, set by the auth plugin when the token is valid. */
export interface RequestUser {
  userId: string;
  eventUserId: string;
  gender?: string | null;
  birthYear?: number | null;
  /** An admin (`user_type` "1"): may read the dashboard. */
  admin?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    user?: RequestUser;
  }
}

const MAX_DEVICE = 512;

export function actorOf(req: FastifyRequest): Actor {
  const ua = req.headers['user-agent'];
  const device = typeof ua === 'string' ? ua.slice(0, MAX_DEVICE) : '';
  const u = req.user;
  if (!u) return { user_id: 'anonymous', device };
  return { user_id: u.eventUserId, device, gender: u.gender ?? null, birth_year: u.birthYear ?? null };
}
