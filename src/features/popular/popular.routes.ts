import { sendJsonText } from '../../http/json.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ListSchema } from '../catalog/catalog.schemas.js';
import type { PopularService } from './popular.service.js';

export const popularRoutes: FastifyPluginAsyncTypebox<{ popular: PopularService }> = async (app, { popular }) => {
  app.get(
    '/popular',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Up to 8 current runs with the most detail views, highest first',
        querystring: Type.Object({}, { additionalProperties: true }),
        response: { 200: ListSchema },
      },
    },
    async (_req, reply) => sendJsonText(reply, await popular.popular()),
  );
};
