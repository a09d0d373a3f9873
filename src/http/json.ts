import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

const JSON_TYPE = 'application/json; charset=utf-8';
/** Below this size compression saves less than it costs. */
const GZIP_MIN_BYTES = 8 * 1024;
/** Compressed copies of long-lived (cached) bodies, dropped with the body they belong to. */
const gzipped = new WeakMap<Buffer, Buffer>();

/**
 * Sends a body that is already JSON text. Fastify passes strings and buffers with a JSON content
 * type through unchanged, so cached bodies skip serialisation; the route's response schema still
 * documents the shape in OpenAPI.
 */
export function sendJsonText(reply: FastifyReply, body: string | Buffer): FastifyReply {
  return (reply as FastifyReply).type(JSON_TYPE).send(body);
}

/**
 * Sends a cached body (the same Buffer for many requests), gzip-compressed once for clients that
 * accept it: whole-catalogue lists such as this weekend's runs can reach megabytes.
 */
export function sendCachedJson(req: FastifyRequest, reply: FastifyReply, body: Buffer): FastifyReply {
  const accepts = req.headers['accept-encoding'];
  if (body.length < GZIP_MIN_BYTES || typeof accepts !== 'string' || !/\bgzip\b/.test(accepts)) {
    return sendJsonText(reply, body);
  }
  let gz = gzipped.get(body);
  if (!gz) {
    gz = gzipSync(body, { level: 6 });
    gzipped.set(body, gz);
  }
  return (reply as FastifyReply).type(JSON_TYPE).header('content-encoding', 'gzip').header('vary', 'accept-encoding').send(gz);
}
