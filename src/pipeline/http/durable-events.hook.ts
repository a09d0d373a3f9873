import type { FastifyPluginAsync } from 'fastify';
import type { EventRecorder } from '../events.js';

/**
 * Holds each response until the events its request recorded are durable in the outbox:
 * an answered request's event then survives a kill -9 of the API.
 */
export const durableEventsHook: FastifyPluginAsync<{ events: EventRecorder }> = async (app, { events }) => {
  const durable = events.durable?.bind(events);
  if (!durable) return;
  app.addHook('onSend', async (_req, _reply, payload) => {
    await durable();
    return payload;
  });
};

// Like fastify-plugin: the hook must reach every route, not just this plugin's own scope.
(durableEventsHook as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
