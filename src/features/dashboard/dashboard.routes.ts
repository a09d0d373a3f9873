import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { AppError, unauthorized } from '../../platform/errors.js';
import { ErrorSchema } from '../catalog/index.js';
import { ValidationErrorSchema } from '../../http/error-schemas.js';
import {
  AccountsSchema,
  ActivityQuerySchema,
  ActivitySchema,
  PendingQuerySchema,
  PendingSchema,
  ViewsQuerySchema,
  LikedRunsQuerySchema,
  LikesSchema,
  RankedQuerySchema,
  RangeQuerySchema,
  SearchesSchema,
  ViewsSchema,
} from './dashboard.schemas.js';
import type { DashboardService } from './dashboard.service.js';

/** 401 without a valid access token, 403 for one that is not an admin's. */
async function adminsOnly(req: FastifyRequest): Promise<void> {
  if (!req.user) throw unauthorized('Not authenticated: send an admin access token in Authorization');
  if (req.user.admin !== true) throw new AppError(403, 'Admins only');
}

const ERRORS = { 401: ErrorSchema, 403: ErrorSchema, 422: ValidationErrorSchema, 503: ErrorSchema };
const tags = ['admin'];
const description =
  'Admins only (an access token of a user_type "1" account in Authorization): 401 without one, 403 for others. ' +
  'Counts each event of the lake once; days and hours are KST; answers may be up to ADMIN_CACHE_SECONDS old.';

/** The admin dashboard's JSON API (`/admin/api/*`). */
export const dashboardRoutes: FastifyPluginAsyncTypebox<{ dashboard: DashboardService }> = async (app, { dashboard }) => {
  // figures about users: no shared cache or browser history keeps them
  app.addHook('onRequest', async (_req, reply) => {
    void reply.header('cache-control', 'no-store');
  });
  const limitOf = (limit: string | undefined) => (limit === undefined || limit === '' ? undefined : Number(limit));
  const syntheticOf = (v: string | undefined) => (v === 'include' ? 'include' : 'exclude');

  app.get(
    '/admin/api/activity',
    {
      preValidation: adminsOnly,
      schema: {
        tags,
        description,
        summary: 'Events per day and topic, daily active users, devices, activity per KST hour',
        querystring: ActivityQuerySchema,
        response: { 200: ActivitySchema, ...ERRORS },
      },
    },
    async (req) => dashboard.activity({ ...req.query, syntheticViews: syntheticOf(req.query.synthetic_views) }),
  );
  app.get(
    '/admin/api/searches',
    {
      preValidation: adminsOnly,
      schema: {
        tags,
        description,
        summary: 'Top search keywords, and the keywords whose searches found nothing',
        querystring: RankedQuerySchema,
        response: { 200: SearchesSchema, ...ERRORS },
      },
    },
    async (req) => dashboard.searches({ ...req.query, limit: limitOf(req.query.limit) }),
  );
  app.get(
    '/admin/api/views',
    {
      preValidation: adminsOnly,
      schema: {
        tags,
        description,
        summary: 'Most viewed runs, views per category and per vendor',
        querystring: ViewsQuerySchema,
        response: { 200: ViewsSchema, ...ERRORS },
      },
    },
    async (req) => dashboard.views({ ...req.query, limit: limitOf(req.query.limit), syntheticViews: syntheticOf(req.query.synthetic_views) }),
  );
  app.get(
    '/admin/api/accounts',
    {
      preValidation: adminsOnly,
      schema: {
        tags,
        description,
        summary: 'Sign-ups, logins (own, Kakao) and failed logins per day; the sign-up → first login funnel',
        querystring: RangeQuerySchema,
        response: { 200: AccountsSchema, ...ERRORS },
      },
    },
    async (req) => dashboard.accounts(req.query),
  );
  app.get(
    '/admin/api/likes',
    {
      preValidation: adminsOnly,
      schema: {
        tags,
        description,
        summary: 'Likes and unlikes per day; the most liked runs (net likes: likes − unlikes in the range)',
        querystring: LikedRunsQuerySchema,
        response: { 200: LikesSchema, ...ERRORS },
      },
    },
    async (req) => dashboard.likes({ ...req.query, limit: limitOf(req.query.limit) }),
  );
  app.get(
    '/admin/api/pending',
    {
      preValidation: adminsOnly,
      schema: {
        tags,
        description:
          'Admins only (401, 403 as above). What is not in the lake yet, so not in the figures, and when the sink writes it: a buffer is ' +
          'written once it holds LOG_FLUSH_MAX_EVENTS events or its oldest event has waited LOG_FLUSH_MAX_AGE_MS. Where the sink runs ' +
          'in another process, only the outbox of this data directory is known. Never cached.',
        summary: 'Events waiting in the outbox and in the sink buffers, and when they will be written',
        querystring: PendingQuerySchema,
        response: { 200: PendingSchema, 401: ErrorSchema, 403: ErrorSchema },
      },
    },
    async () => dashboard.pending(),
  );
};
