import { sendLikedText, type LikedRuns } from '../../http/liked-lists.js';
import { ValidationErrorSchema } from '../../http/error-schemas.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorSchema, ListSchema } from '../catalog/index.js';
import type { PopularService } from './popular.service.js';
import { WINDOW_NAMES } from './popular.windows.js';

export interface PopularRouteDeps {
  popular: PopularService;
  /** The runs a logged-in caller likes, shown as `is_liked` (absent: nobody likes anything). */
  likedRuns?: LikedRuns | undefined;
}

export const popularRoutes: FastifyPluginAsyncTypebox<PopularRouteDeps> = async (app, { popular, likedRuns }) => {
  app.get(
    '/popular',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Up to 8 current runs with the most detail views, highest first',
        querystring: Type.Object(
          {
            window: Type.Optional(
              Type.String({
                pattern: `^(${WINDOW_NAMES.join('|')})?$`,
                description: `Ranking window: ${WINDOW_NAMES.join(', ')} (views on the last N days); default all time`,
              }),
            ),
          },
          { additionalProperties: true },
        ),
        response: { 200: ListSchema, 422: ValidationErrorSchema },
      },
    },
    async (req, reply) => sendLikedText(req, reply, await popular.popular(req.query.window), likedRuns),
  );
};
