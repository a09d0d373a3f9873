import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { notFound } from '../../platform/errors.js';
import { ErrorSchema, IdParamsSchema } from '../catalog/index.js';
import { POSTER_HEIGHT, POSTER_WIDTH } from './poster-svg.js';
import type { PosterService } from './posters.service.js';

/** A versioned URL names one drawing for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Without the current version the poster may have changed: revalidate (a cheap 304 with the ETag). */
const REVALIDATE = 'public, no-cache';
/**
 * Opened on its own, an SVG is a document: it may load nothing and run nothing (the text in it is
 * escaped too; this is the second lock).
 */
const POSTER_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/** `If-None-Match` holds this ETag (or `*`): the client's copy is current. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === etag || t === '*');
}

export const posterRoutes: FastifyPluginAsyncTypebox<{ posters: PosterService }> = async (app, { posters }) => {
  app.get(
    '/posters/:id',
    {
      schema: {
        tags: ['catalogue'],
        summary: `A run's poster: an SVG image of ${POSTER_WIDTH} × ${POSTER_HEIGHT} (title, category colours, dates, venue)`,
        description:
          'List items and details give each demo run an absolute URL of this endpoint with `?v=<version>`: with the current ' +
          'version it is cacheable for a year, otherwise it is revalidated with its ETag.',
        params: IdParamsSchema,
        querystring: Type.Object(
          { v: Type.Optional(Type.String({ maxLength: 32, description: 'The poster version the URL was issued with' })) },
          { additionalProperties: true },
        ),
        response: {
          200: { description: 'The poster', content: { 'image/svg+xml': { schema: Type.String() } } },
          304: { description: 'The cached copy is current', type: 'null' },
          400: ErrorSchema,
          404: ErrorSchema,
        },
      },
    },
    async (req, reply) => {
      const poster = posters.poster(req.params.id);
      if (poster === undefined) throw notFound('performance not found');
      void reply
        .header('etag', poster.etag)
        .header('cache-control', req.query.v === poster.version ? IMMUTABLE : REVALIDATE)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', POSTER_CSP);
      if (matches(req.headers['if-none-match'], poster.etag)) return reply.code(304).send(null);
      return reply.type('image/svg+xml; charset=utf-8').send(poster.svg);
    },
  );
};
