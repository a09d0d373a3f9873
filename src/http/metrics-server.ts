import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from '../platform/metrics.js';

export interface MetricsServer {
  /** `http://host:port`, with the port actually bound (METRICS_PORT=0 picks a free one). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The metrics port (METRICS_PORT): `GET /metrics` for Prometheus and `GET /healthz` for a
 * container health check, on a listener of its own so that neither is reachable through the
 * API's public port. A plain node:http server: it must stay up whatever the API is doing.
 */
export async function startMetricsServer(metrics: Metrics, listen: { host: string; port: number }): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' }).end('{"detail":"method not allowed"}');
    } else if (path === '/metrics') {
      metrics.render().then(
        (body) => res.writeHead(200, { 'content-type': metrics.contentType }).end(body),
        () => res.writeHead(500, { 'content-type': 'application/json' }).end('{"detail":"metrics could not be collected"}'),
      );
    } else if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
    }
  });
  server.keepAliveTimeout = 65_000; // longer than Prometheus's scrape interval: one connection per scraper
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
