import type { FastifyReply } from 'fastify';

/**
 * Sends a body that is already JSON text. Fastify passes strings with a JSON content type
 * through unchanged, so cached bodies skip serialisation; the route's response schema still
 * documents the shape in OpenAPI.
 */
export function sendJsonText(reply: FastifyReply, body: string | Buffer): FastifyReply {
  return (reply as FastifyReply).type('application/json; charset=utf-8').send(body);
}
