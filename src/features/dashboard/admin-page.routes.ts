import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

/** The files of the built page (`npm run build` bundles web/admin into dist/web/admin). */
const ASSETS: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  // the licences of the bundled libraries (ECharts, zrender, noble-hashes)
  'dashboard.js.LEGAL.txt': 'text/plain; charset=utf-8',
};

// The page loads only its own files and talks only to this service: no CDN, no inline script.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  // ECharts sets style attributes on the elements it draws
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  body: Buffer;
  gzip: Buffer | undefined;
}

/**
 * Serves the admin dashboard page (`GET /admin`) and its bundle. Files are read once and kept in
 * memory; a build with a `.gz` beside a file lets clients that accept gzip get that instead.
 */
export const adminPageRoutes: FastifyPluginAsync<{ assetDir: string }> = async (app, { assetDir }) => {
  const loaded = new Map<string, Promise<Asset | undefined>>();
  const load = (name: string) => {
    let asset = loaded.get(name);
    if (!asset) {
      const file = path.join(assetDir, name);
      asset = Promise.all([readFile(file), readFile(`${file}.gz`).catch(() => undefined)]).then(
        ([body, gzip]) => ({ body, gzip }),
        () => {
          loaded.delete(name); // not built yet: look again next time
          return undefined;
        },
      );
      loaded.set(name, asset);
    }
    return asset;
  };

  const send = async (req: FastifyRequest, reply: FastifyReply, name: string) => {
    const type = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (type === undefined) return reply.status(404).send({ detail: 'Not Found' });
    const asset = await load(name);
    if (!asset) return reply.status(503).send({ detail: 'The dashboard page is not built: run npm run build' });
    void reply
      .header('content-type', type)
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('vary', 'accept-encoding');
    if (name === 'index.html') void reply.header('content-security-policy', CSP);
    const accepts = req.headers['accept-encoding'];
    if (asset.gzip && typeof accepts === 'string' && /\bgzip\b/.test(accepts)) {
      return reply.header('content-encoding', 'gzip').send(asset.gzip);
    }
    return reply.send(asset.body);
  };

  const page = { schema: { hide: true } };
  app.get('/admin', page, (req, reply) => send(req, reply, 'index.html'));
  app.get('/admin/', page, (req, reply) => send(req, reply, 'index.html'));
  app.get<{ Params: { name: string } }>('/admin/assets/:name', page, (req, reply) => send(req, reply, req.params.name));
};
