import type { FastifyPluginAsync } from 'fastify';
import { type EventRecorder, SETTLED } from '../events.js';

/**
 * Holds each response until the events its request recorded are durable in the outbox:
 * an answered request's event then survives a kill -9 of the API.
 */
export const durableEventsHook: FastifyPluginAsync<{ events: EventRecorder }> = async (app, { events }) => {
  const durable = events.durable?.bind(events);
  if (!durable) return;
  // Callback style, and no wait at all when nothing is pending: most responses (lists, banners)
  // recorded nothing, and an async hook would cost each of them a promise.
  app.addHook('onSend', (_req, _reply, payload, done) => {
    const waiting = durable();
    if (waiting === SETTLED) return done(null, payload);
    waiting.then(
      () => done(null, payload),
      () => done(null, payload),
    );
  });
};

// Like fastify-plugin: the hook must reach every route, not just this plugin's own scope.
(durableEventsHook as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
