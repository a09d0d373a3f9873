import type { FastifyInstance } from 'fastify';
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
 * Operations endpoints on the API app: request metrics (an onResponse hook labelled with the
 * route pattern, which Fastify already knows, so it costs one map lookup and one observe),
 * `/readyz` and, where no metrics port of its own is set, `/metrics`.
 */
export function installOps(app: FastifyInstance, options: OpsOptions): void {
  const { metrics, readiness } = options;
  if (metrics) {
    app.addHook('onResponse', (request, reply, done) => {
      metrics.observeRequest(request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
  }
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
