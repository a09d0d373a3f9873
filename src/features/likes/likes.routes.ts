import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { actorOf, type RequestUser } from '../../http/actor.js';
import { ValidationErrorSchema } from '../../http/error-schemas.js';
import { tolerateEmptyJsonBody } from '../../http/empty-json-body.js';
import { sendJsonText } from '../../http/json.js';
import { unauthorized } from '../../platform/errors.js';
import type { LikesService } from './likes.service.js';
import { ErrorSchema, LikedItemSchema, LikedRunsSchema, RunIdBodySchema, UnlikedSchema } from './likes.schemas.js';

export interface LikesRouteDeps {
  likes: LikesService;
}

const tags = ['likes'];
const errors = { 401: ErrorSchema, 404: ErrorSchema, 422: ValidationErrorSchema };

const userOf = (req: FastifyRequest): RequestUser => {
  // set by the onRequest hook below; a request without a user never reaches a handler
  if (!req.user) throw unauthorized('Not authenticated');
  return req.user;
};

/** §2b: the caller's hearts. Unlike the read endpoints, all three need a valid token (401 without). */
export const likesRoutes: FastifyPluginAsyncTypebox<LikesRouteDeps> = async (app, { likes }) => {
  tolerateEmptyJsonBody(app);
  // Before the body is read or validated: without a valid token the answer is 401 whatever was sent.
  app.addHook('onRequest', async (req) => {
    userOf(req);
  });

  app.post(
    '/like',
    {
      schema: {
        tags,
        summary: 'Like a run (idempotent): the run as a list item',
        body: RunIdBodySchema,
        response: { 200: LikedItemSchema, ...errors },
      },
    },
    async (req) => likes.like(userOf(req).userId, req.body.id, actorOf(req)),
  );

  app.delete(
    '/del_like',
    {
      schema: {
        tags,
        summary: 'Remove a like (idempotent; the id in a JSON body): the run id as a JSON string',
        body: RunIdBodySchema,
        response: { 200: UnlikedSchema, ...errors },
      },
    },
    async (req, reply) => sendJsonText(reply, JSON.stringify(await likes.unlike(userOf(req).userId, req.body.id, actorOf(req)))),
  );

  app.get(
    '/get_like',
    {
      schema: {
        tags,
        summary: "The caller's liked runs that are in the catalogue, oldest like first",
        response: { 200: LikedRunsSchema, 401: ErrorSchema },
      },
    },
    async (req) => likes.list(userOf(req).userId),
  );
};
