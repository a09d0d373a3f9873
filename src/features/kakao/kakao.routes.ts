import cookie from '@fastify/cookie';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { actorOf } from '../../http/actor.js';
import { ValidationErrorSchema } from '../../http/error-schemas.js';
import { tokenFromHeader } from '../../http/auth-plugin.js';
import { tolerateEmptyJsonBody } from '../../http/empty-json-body.js';
import { contextOf, ErrorSchema } from '../accounts/index.js';
import { CallbackQuerySchema, GetTokenQuerySchema, KakaoLoginSchema, RedirectSchema } from './kakao.schemas.js';
import { STATE_TTL_MS } from './kakao-state.js';
import type { KakaoService } from './kakao.service.js';

export interface KakaoRouteDeps {
  kakao: KakaoService;
  secureCookie: boolean;
}

/** The browser-binding cookie of a Kakao login in plain-http local development. */
export const STATE_COOKIE = 'ticketmoa_kakao_state';
/**
 * The same over https (production): `__Host-` makes browsers accept it only from this very host,
 * Secure, with Path=/ and no Domain, so a sibling subdomain cannot plant or overwrite it.
 */
export const HOST_STATE_COOKIE = `__Host-${STATE_COOKIE}`;
const STATE_MAX_AGE_SECONDS = STATE_TTL_MS / 1000;
const tags = ['kakao'];

export const stateCookieName = (secure: boolean): string => (secure ? HOST_STATE_COOKIE : STATE_COOKIE);

function stateCookie(reply: FastifyReply, value: string, maxAge: number, secure: boolean): void {
  void reply.setCookie(stateCookieName(secure), value, { path: '/', maxAge, httpOnly: true, sameSite: 'lax', secure });
}

export const kakaoRoutes: FastifyPluginAsyncTypebox<KakaoRouteDeps> = async (app, { kakao, secureCookie }) => {
  tolerateEmptyJsonBody(app);
  await app.register(cookie);

  app.get(
    '/kakao/getcode',
    {
      schema: {
        tags,
        summary: "Redirect to Kakao's login with a signed state (sets the cookie that binds it to this browser)",
        response: { 302: RedirectSchema, 503: ErrorSchema },
      },
    },
    async (_req, reply) => {
      const { binding, location } = kakao.start();
      stateCookie(reply, binding, STATE_MAX_AGE_SECONDS, secureCookie);
      return reply.redirect(location, 302);
    },
  );

  app.get(
    '/kakao/callback',
    {
      schema: {
        tags,
        summary:
          'Where Kakao sends the browser back: checks the state (signed by this service, bound to this browser, unexpired, ' +
          'unused) before anything else, exchanges the code with Kakao and opens the session, then redirects to ' +
          '<FRONTEND_URL>/callback?code=<one-time ticket> (or ?error=<reason>). Limited per client (429).',
        querystring: CallbackQuerySchema,
        response: { 302: RedirectSchema, 400: ErrorSchema, 429: ErrorSchema, 503: ErrorSchema },
      },
    },
    async (req, reply) => {
      // Without this check another site could log the browser into the attacker's Kakao account.
      const location = await kakao.callback(req.query, req.cookies[stateCookieName(secureCookie)], contextOf(req));
      stateCookie(reply, '', 0, secureCookie);
      return reply.redirect(location, 302);
    },
  );

  app.get(
    '/kakao/getToken',
    {
      schema: {
        tags,
        summary:
          "Redeem the one-time ticket from the callback for this service's session (once, within KAKAO_TICKET_TTL_SECONDS); " +
          'a raw Kakao code is refused',
        querystring: GetTokenQuerySchema,
        response: { 200: KakaoLoginSchema, 400: ErrorSchema, 422: ValidationErrorSchema, 503: ErrorSchema },
      },
    },
    async (req) => kakao.redeem(req.query.code, actorOf(req)),
  );

  app.post(
    '/kakao/logout',
    {
      schema: {
        tags,
        summary: 'End the session, log out at Kakao, redirect to KAKAO_LOGOUT_REDIRECT_URI',
        response: { 303: RedirectSchema, 401: ErrorSchema },
      },
    },
    async (req, reply) => {
      const location = await kakao.logout(tokenFromHeader(req.headers.authorization), actorOf(req));
      return reply.redirect(location, 303);
    },
  );
};
