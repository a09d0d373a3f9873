import { sendJsonText } from '../../http/json.js';
import { ValidationErrorSchema } from '../../http/error-schemas.js';
import { sendLikedList, type LikedRuns } from '../../http/liked-lists.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../../http/actor.js';
import { notFound } from '../../platform/errors.js';
import type { JsonBody } from '../../platform/json-body.js';
import { WEEKEND_PER_CATEGORY, type CatalogService } from './catalog.service.js';
import {
  DetailSchema,
  ErrorSchema,
  ExclusiveAllQuerySchema,
  ExclusiveMainSchema,
  IdParamsSchema,
  ListSchema,
  SearchQuerySchema,
  WeekendQuerySchema,
} from './catalog.schemas.js';

export interface CatalogRouteDeps {
  catalog: CatalogService;
  /** The runs a logged-in caller likes, shown as `is_liked` (absent: nobody likes anything). */
  likedRuns?: LikedRuns | undefined;
}

const tags = ['catalogue'];

export const catalogRoutes: FastifyPluginAsyncTypebox<CatalogRouteDeps> = async (app, { catalog, likedRuns }) => {
  const send = (req: FastifyRequest, reply: FastifyReply, body: JsonBody) => sendLikedList(req, reply, body, likedRuns);

  app.get(
    '/search',
    {
      schema: {
        tags,
        summary: 'Search the catalogue (complete result set)',
        querystring: SearchQuerySchema,
        response: { 200: ListSchema, 422: ValidationErrorSchema },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const keyword = q.keyword !== undefined && q.keyword !== '' ? q.keyword : q.query;
      const { body } = await catalog.search({ ...q, keyword }, actorOf(req));
      return send(req, reply, body);
    },
  );

  app.get(
    '/detail/:id',
    {
      schema: {
        tags,
        summary: 'One run, the whole document',
        params: IdParamsSchema,
        response: { 200: DetailSchema, 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (req, reply) => {
      const body = await catalog.detail(req.params.id, actorOf(req));
      if (body === undefined) throw notFound('performance not found');
      return sendJsonText(reply, body);
    },
  );

  const list = (path: string, summary: string, build: () => Promise<JsonBody>) =>
    app.get(path, { schema: { tags, summary, response: { 200: ListSchema } } }, async (req, reply) => send(req, reply, await build()));

  list('/banner', `The ${11} runs starting after today, earliest first`, () => catalog.banner());

  app.get(
    '/this_weekend',
    {
      schema: {
        tags,
        summary: `Runs with a poster on show this Saturday or Sunday (KST, Monday–Sunday week): up to ${WEEKEND_PER_CATEGORY} per category, most viewed on the last 7 days first, then earliest start`,
        querystring: WeekendQuerySchema,
        response: { 200: ListSchema, 422: ValidationErrorSchema },
      },
    },
    async (req, reply) => {
      const n = req.query.per_category;
      return send(req, reply, await catalog.thisWeekend(n === undefined || n === '' ? WEEKEND_PER_CATEGORY : Number(n)));
    },
  );

  app.get(
    '/exclusive/main',
    { schema: { tags, summary: 'Up to 4 current exclusive runs per vendor', response: { 200: ExclusiveMainSchema } } },
    async (req, reply) => send(req, reply, await catalog.exclusiveMain()),
  );

  app.get(
    '/exclusive/all',
    {
      schema: {
        tags,
        summary: 'All current exclusive runs, optionally of one vendor',
        querystring: ExclusiveAllQuerySchema,
        response: { 200: ListSchema },
      },
    },
    async (req, reply) => {
      const site = req.query.site_id;
      return send(req, reply, await catalog.exclusiveAll(site ? Number(site) : undefined));
    },
  );
};
