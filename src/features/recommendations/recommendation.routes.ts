import { sendJsonText } from '../../http/json.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorSchema, IdParamsSchema, ListSchema } from '../catalog/index.js';
import type { RecommendationService } from './recommendation.service.js';

export const recommendationRoutes: FastifyPluginAsyncTypebox<{ recommendations: RecommendationService }> = async (app, { recommendations }) => {
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
    async (req, reply) => sendJsonText(reply, await recommendations.similarTo(req.params.id)),
  );
};
