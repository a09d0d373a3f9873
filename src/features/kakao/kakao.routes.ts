import cookie from '@fastify/cookie';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { actorOf } from '../../http/actor.js';
import { tokenFromHeader } from '../../http/auth-plugin.js';
import { tolerateEmptyJsonBody } from '../../http/empty-json-body.js';
import { badRequest } from '../../platform/errors.js';
import { ErrorSchema } from '../accounts/index.js';
import { CallbackQuerySchema, GetTokenQuerySchema, KakaoLoginSchema, RedirectSchema } from './kakao.schemas.js';
import type { KakaoService } from './kakao.service.js';

export interface KakaoRouteDeps {
  kakao: KakaoService;
  secureCookie: boolean;
}

export const STATE_COOKIE = 'ticketmoa_kakao_state';
const STATE_MAX_AGE_SECONDS = 10 * 60;
const tags = ['kakao'];

function stateCookie(reply: FastifyReply, value: string, maxAge: number, secure: boolean): void {
  void reply.setCookie(STATE_COOKIE, value, { path: '/', maxAge, httpOnly: true, sameSite: 'lax', secure });
}

export const kakaoRoutes: FastifyPluginAsyncTypebox<KakaoRouteDeps> = async (app, { kakao, secureCookie }) => {
  tolerateEmptyJsonBody(app);
  await app.register(cookie);

  app.get(
    '/kakao/getcode',
    { schema: { tags, summary: "Redirect to Kakao's login (sets the state cookie)", response: { 302: RedirectSchema, 503: ErrorSchema } } },
    async (_req, reply) => {
      const { state, location } = kakao.start();
      stateCookie(reply, state, STATE_MAX_AGE_SECONDS, secureCookie);
      return reply.redirect(location, 302);
    },
  );

  app.get(
    '/kakao/callback',
    {
      schema: {
        tags,
        summary:
          'Where Kakao sends the browser back: checks the state cookie, exchanges the code with Kakao and opens the session, then ' +
          'redirects to <FRONTEND_URL>/callback?code=<one-time ticket> (or ?error=<reason>)',
        querystring: CallbackQuerySchema,
        response: { 302: RedirectSchema, 400: ErrorSchema, 503: ErrorSchema },
      },
    },
    async (req, reply) => {
      const expected = req.cookies[STATE_COOKIE];
      // Without this check another site could log the browser into the attacker's Kakao account.
      if (!expected || req.query.state !== expected) {
        throw badRequest('Login state does not match this browser; start the Kakao login again');
      }
      stateCookie(reply, '', 0, secureCookie);
      return reply.redirect(await kakao.completeLogin(req.query, actorOf(req)), 302);
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
        response: { 200: KakaoLoginSchema, 400: ErrorSchema, 422: ErrorSchema, 503: ErrorSchema },
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
