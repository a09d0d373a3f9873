import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { RequestUser } from './actor.js';

export interface AuthPluginOptions {
  /** The user of a valid access token, undefined for anything else. */
  authenticate(token: string): Promise<RequestUser | undefined>;
}

/** The token of an `Authorization` header: raw (what the frontend sends) or `Bearer <token>`. */
export function tokenFromHeader(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const value = header.trim();
  const token = /^bearer\s+/i.test(value) ? value.replace(/^bearer\s+/i, '') : value;
  return token === '' ? undefined : token;
}

const plugin: FastifyPluginAsync<AuthPluginOptions> = async (app, { authenticate }) => {
  app.decorateRequest('user', undefined);
  // Read endpoints never answer 401: a missing, malformed, expired or revoked token just means
  // anonymous (the frontend cannot recover from a 401 there). It never yields a user, though.
  app.addHook('onRequest', async (req) => {
    const token = tokenFromHeader(req.headers.authorization);
    if (token === undefined) return;
    try {
      req.user = await authenticate(token);
    } catch (err) {
      req.log.warn({ err }, 'token check failed; treating the request as anonymous');
      req.user = undefined;
    }
  });
};

/** Sets `req.user` for the whole app (not encapsulated, so every route sees it). */
export const authPlugin = fp(plugin, { name: 'ticketmoa-auth', fastify: '5.x' });
