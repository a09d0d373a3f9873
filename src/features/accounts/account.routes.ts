import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { actorOf } from '../../http/actor.js';
import { ValidationErrorSchema } from '../../http/error-schemas.js';
import { tokenFromHeader } from '../../http/auth-plugin.js';
import { clientKey } from '../../http/client-key.js';
import { tolerateEmptyJsonBody } from '../../http/empty-json-body.js';
import type { AccountService, RequestContext } from './account.service.js';
import {
  CheckIdBodySchema,
  CheckIdResponseSchema,
  ErrorSchema,
  LoginBodySchema,
  LoginResponseSchema,
  MessageSchema,
  RefreshBodySchema,
  SignupBodySchema,
  SuccessSchema,
  TokenPairSchema,
} from './account.schemas.js';

export interface AccountRouteDeps {
  accounts: AccountService;
}

const tags = ['accounts'];

export const contextOf = (req: FastifyRequest): RequestContext => ({ actor: actorOf(req), client: clientKey(req.ip) });

export const accountRoutes: FastifyPluginAsyncTypebox<AccountRouteDeps> = async (app, { accounts }) => {
  tolerateEmptyJsonBody(app);

  app.post(
    '/signup/check-id',
    {
      schema: {
        tags,
        summary: 'Is this account id free?',
        body: CheckIdBodySchema,
        response: { 200: CheckIdResponseSchema, 400: ErrorSchema, 422: ValidationErrorSchema, 429: ErrorSchema },
      },
    },
    async (req) => {
      await accounts.checkId(req.body.id, contextOf(req));
      return { is_taken: false };
    },
  );

  app.post(
    '/signup/signup',
    {
      schema: {
        tags,
        summary: 'Create an account',
        body: SignupBodySchema,
        response: { 200: SuccessSchema, 409: ErrorSchema, 422: ValidationErrorSchema, 429: ErrorSchema },
      },
    },
    async (req) => {
      const b = req.body;
      await accounts.signup({ ...b, email: b.email ?? '', phoneNumber: b.phoneNumber ?? '' }, contextOf(req));
      return { success: true };
    },
  );

  app.post(
    '/auth/login',
    {
      schema: {
        tags,
        summary: 'Log in with id and password',
        body: LoginBodySchema,
        response: { 200: LoginResponseSchema, 401: ErrorSchema, 422: ValidationErrorSchema, 429: ErrorSchema },
      },
    },
    async (req) => accounts.login(req.body.id, req.body.password, contextOf(req)),
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        tags,
        summary: 'Exchange the refresh token for a new pair (the old one is retired)',
        body: RefreshBodySchema,
        response: { 200: TokenPairSchema, 401: ErrorSchema, 422: ValidationErrorSchema },
      },
    },
    async (req) => accounts.refresh(req.body.refresh_token),
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags,
        summary: 'End the session of the access token in Authorization (an expired one is accepted)',
        response: { 200: MessageSchema, 401: ErrorSchema },
      },
    },
    async (req) => {
      await accounts.logout(tokenFromHeader(req.headers.authorization), contextOf(req));
      return { message: 'Logged out' };
    },
  );
};
