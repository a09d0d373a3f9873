import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync, type FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Config } from '../config/config.js';
import { clientErrorHandler, installErrorHandling } from './errors.js';
import { installHomePage } from './home-page.js';
import { installOps, installRequestMetrics, type OpsOptions } from './ops-routes.js';

/** A feature's routes and the options they are registered with. */
export interface RouteModule {
  // Each feature plugin has its own options type; the list holds them side by side.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a heterogeneous list of plugins
  plugin: FastifyPluginAsync<any>;
  options: object;
}

export interface AppDeps {
  config: Pick<Config, 'corsOrigins' | 'logLevel'> & Partial<Pick<Config, 'trustProxy'>>;
  /** The process's logger (made by the composition root); Fastify logs through a child of it. */
  log: FastifyBaseLogger;
  /** Registered before the routes (for example the auth plugin that sets `req.user`). */
  hooks?: RouteModule[];
  routes: RouteModule[];
  health?: () => Promise<Record<string, unknown>>;
  /** Request metrics, `/metrics` and `/readyz`. */
  ops?: OpsOptions;
}

function trustProxyOption(v: Config['trustProxy'] | undefined): boolean | string[] | ((addr: string, hop: number) => boolean) {
  if (typeof v === 'number') return (_addr, hop) => hop < v;
  return typeof v === 'object' ? [...v] : (v ?? false);
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log,
    // per-request lines only when debugging: at info level they would cost more than the request
    logController: new LogController({
      disableRequestLogging: deps.config.logLevel !== 'debug' && deps.config.logLevel !== 'trace',
    }),
    bodyLimit: 64 * 1024,
    // request line + headers; larger ones get a JSON 431 from clientErrorHandler
    http: { maxHeaderSize: 16 * 1024 },
    // long ids must reach the handler to get their 400, not a 404 from the router
    routerOptions: { maxParamLength: 500 },
    clientErrorHandler,
    // errors raised before routing (an undecodable URL): the same JSON shape as every other error
    frameworkErrors: (err, _req, reply) => {
      void (reply as FastifyReply).status(err.statusCode ?? 400).send({ detail: err.message });
    },
    trustProxy: trustProxyOption(deps.config.trustProxy),
    ajv: { customOptions: { removeAdditional: true, coerceTypes: false, allErrors: false, verbose: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // before any route, so that every route (the docs' too) gets its metrics hook
  const requestMetrics = deps.ops?.metrics ? installRequestMetrics(app, deps.ops.metrics) : undefined;
  installErrorHandling(app, { onNotFound: requestMetrics?.observeUnmatched });

  await app.register(cors, {
    origin: [...deps.config.corsOrigins],
    methods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    credentials: true,
    // an OPTIONS without Origin or Access-Control-Request-Method is not a preflight: answered
    // 204 like any OPTIONS, not the plugin's text/plain 400
    strictPreflight: false,
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'TicketMoa API',
        description: 'Korean performance-ticket aggregation: catalogue, accounts and analytics.',
        version: '0.1.0',
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // after swagger, so that /readyz and /metrics are in the description
  installOps(app, deps.ops ?? {});

  app.get(
    '/healthz',
    {
      schema: {
        tags: ['ops'],
        summary: 'Liveness and basic counts',
        response: { 200: Type.Object({ status: Type.String() }, { additionalProperties: true }) },
      },
    },
    async () => ({ status: 'ok', ...(deps.health ? await deps.health() : {}) }),
  );

  installHomePage(app);

  for (const h of deps.hooks ?? []) await app.register(h.plugin, h.options);
  for (const r of deps.routes) await app.register(r.plugin, r.options);
  return app;
}
