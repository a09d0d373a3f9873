import type { FastifyInstance } from 'fastify';

/**
 * Within one (encapsulated) route plugin, treats an empty body sent with
 * `Content-Type: application/json` as no body instead of a 400. Browser code often sets that
 * header on body-less POSTs such as logout, and the legacy service accepted them.
 */
export function tolerateEmptyJsonBody(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    return parseJson(req, text, done);
  });
}
