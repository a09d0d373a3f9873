import { sendLikedText, type LikedRuns } from '../../http/liked-lists.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParamsSchema, ListSchema } from '../catalog/index.js';
import type { RecommendationService } from './recommendation.service.js';

export interface RecommendationRouteDeps {
  recommendations: RecommendationService;
  /** The runs a logged-in caller likes, shown as `is_liked` (absent: nobody likes anything). */
  likedRuns?: LikedRuns | undefined;
}

export const recommendationRoutes: FastifyPluginAsyncTypebox<RecommendationRouteDeps> = async (app, { recommendations, likedRuns }) => {
  app.get(
    '/recommendation/:id',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Up to 3 similar runs (same region, starting within 90 days after this one)',
        params: IdParamsSchema,
        response: { 200: ListSchema, 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (req, reply) => sendLikedText(req, reply, await recommendations.similarTo(req.params.id), likedRuns),
  );
};
