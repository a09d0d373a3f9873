import type { FastifyInstance } from 'fastify';

/**
 * `GET /`: a small page naming what this service serves, so that a newcomer who opens the port in
 * a browser finds the API description, the admin dashboard and the health check. A page rather
 * than a redirect to `/docs`: a redirect would hide `/admin` and `/healthz`. Static, no script;
 * left out of the OpenAPI description like `/admin` (it is a page, not an API).
 */
const HOME = `<!doctype html>
<html lang="ko">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>TicketMoa API</title>
    <style>
      body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.6; color: #222; }
      a { color: #0b57d0; }
      li { margin: 0.4rem 0; }
    </style>
  </head>
  <body>
    <h1>TicketMoa API</h1>
    <p>공연 티켓 모아보기 백엔드입니다. A Korean performance-ticket aggregation backend.</p>
    <ul>
      <li><a href="/docs">/docs</a>: API 문서 (OpenAPI, Swagger UI) · the API reference; <a href="/openapi.json">/openapi.json</a></li>
      <li><a href="/admin">/admin</a>: 관리자 대시보드 · the admin dashboard (an admin account: <code>ticketmoa create-admin</code>)</li>
      <li><a href="/healthz">/healthz</a>: 상태 확인 · liveness and the event log's backlog</li>
    </ul>
  </body>
</html>
`;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function installHomePage(app: FastifyInstance): void {
  app.get('/', { schema: { hide: true } }, async (_req, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-cache')
      .send(HOME),
  );
}
