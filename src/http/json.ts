import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JsonBody } from '../platform/json-body.js';
import { preferredCoding } from './accept-encoding.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Sends a body that is already JSON text, as it is. Fastify passes strings and buffers with a JSON
 * content type through unchanged, so cached bodies skip serialisation; the route's response
 * schema still documents the shape in OpenAPI. For answers made per request (a few items): see
 * ADR 11 for why they are not compressed here.
 */
export function sendJsonText(reply: FastifyReply, body: string | Buffer): FastifyReply {
  return reply.type(JSON_TYPE).send(body);
}

/**
 * Sends a body the service keeps (the same `JsonBody` for many requests), compressed for clients
 * that accept it: brotli or gzip as `Accept-Encoding` prefers, each made once per body off the
 * event loop and then reused. Bodies too small to gain are sent as they are, without `Vary`.
 */
export async function sendJsonBody(req: FastifyRequest, reply: FastifyReply, body: JsonBody): Promise<FastifyReply> {
  reply.type(JSON_TYPE);
  if (!body.compressible) return reply.send(body.raw);
  // the answer depends on Accept-Encoding even when it is sent uncompressed
  addVary(reply, 'Accept-Encoding');
  const coding = preferredCoding(req.headers['accept-encoding']);
  if (coding === undefined) return reply.send(body.raw);
  // made already for most requests: sent without waiting on a promise
  const encoded = body.ready(coding) ?? (await body.encoded(coding));
  if (!encoded) return reply.send(body.raw);
  return reply.header('content-encoding', coding).send(encoded);
}

/** `Vary` already names Accept-Encoding (or everything). */
const NAMES_ACCEPT_ENCODING = /(?:^|,)\s*(?:accept-encoding|\*)\s*(?:,|$)/i;

/** Adds Accept-Encoding to the response's `Vary` (CORS has put `Origin` there already). */
function addVary(reply: FastifyReply, field: 'Accept-Encoding'): void {
  const current = reply.getHeader('vary');
  if (current === undefined || current === '') {
    reply.header('vary', field);
    return;
  }
  const list = Array.isArray(current) ? current.join(', ') : String(current);
  if (!NAMES_ACCEPT_ENCODING.test(list)) reply.header('vary', `${list}, ${field}`);
}
