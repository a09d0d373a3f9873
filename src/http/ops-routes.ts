import type { FastifyInstance, FastifyReply, onResponseHookHandler } from 'fastify';
import { Type } from 'typebox';
import { type Metrics, UNMATCHED_ROUTE } from '../platform/metrics.js';

/** What `/readyz` reports: ready only when start-up is done and the database answers. */
export interface Readiness {
  ready: boolean;
  startup: 'starting' | 'done' | 'stopping';
  database: 'ok' | 'unreachable';
}

export interface OpsOptions {
  /** Requests are observed into these metrics. */
  metrics?: Metrics;
  /** Also answer `GET /metrics` on this app (METRICS_PORT unset). */
  metricsRoute?: boolean;
  readiness?: () => Promise<Readiness>;
}

const ReadinessSchema = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  startup: Type.Union([Type.Literal('starting'), Type.Literal('done'), Type.Literal('stopping')]),
  database: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
});

/**
 * Request metrics, installed before any route: each route gets an onResponse hook of its own that
 * already knows the route's pattern, so a request pays three small map lookups and a few additions (see RequestHistogram) (a
 * global hook would build a `routeOptions` object per request to learn the pattern). Requests
 * that match no route are counted by `observeUnmatched`, which the 404 handler calls.
 */
export function installRequestMetrics(app: FastifyInstance, metrics: Metrics): { observeUnmatched: (reply: FastifyReply) => void } {
  app.addHook('onRoute', (route) => {
    const observe = metrics.requestObserver(route.url);
    const hook: onResponseHookHandler = (request, reply, done) => {
      observe(request.method, reply.statusCode, reply.elapsedTime / 1000);
      done();
    };
    const own = route.onResponse;
    route.onResponse = own === undefined ? [hook] : [...(Array.isArray(own) ? own : [own]), hook];
  });
  const unmatched = metrics.requestObserver(UNMATCHED_ROUTE);
  return {
    observeUnmatched(reply) {
      reply.raw.once('finish', () => unmatched(reply.request.method, reply.statusCode, reply.elapsedTime / 1000));
    },
  };
}

/** Operations endpoints on the API app: `/readyz` and, where no metrics port of its own is set, `/metrics`. */
export function installOps(app: FastifyInstance, options: OpsOptions): void {
  const { metrics, readiness } = options;
  if (metrics && options.metricsRoute) {
    app.get(
      '/metrics',
      {
        schema: {
          tags: ['ops'],
          summary: 'Prometheus metrics (text exposition format); served here only when METRICS_PORT is unset',
          response: { 200: { description: 'Prometheus text format 0.0.4', content: { 'text/plain': { schema: Type.String() } } } },
        },
      },
      async (_request, reply) => reply.type(metrics.contentType).send(await metrics.render()),
    );
  }
  if (readiness) {
    app.get(
      '/readyz',
      {
        schema: {
          tags: ['ops'],
          summary: 'Readiness: 200 once start-up is done and the database answers, 503 otherwise (/healthz is liveness)',
          response: { 200: ReadinessSchema, 503: ReadinessSchema },
        },
      },
      async (_request, reply) => {
        const state = await readiness();
        const body = { status: state.ready ? 'ready' : 'not_ready', startup: state.startup, database: state.database } as const;
        return reply.status(state.ready ? 200 : 503).send(body);
      },
    );
  }
}
