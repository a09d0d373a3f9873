import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../platform/errors.js';

interface ValidationIssue {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
  /** The failing schema (Ajv's `verbose` option): its description says what is expected. */
  parentSchema?: { description?: unknown };
}

/** Ajv's message, except that a failed pattern says what the field expects rather than the regex. */
function messageOf(issue: ValidationIssue): string {
  const expected = issue.parentSchema?.description;
  if (issue.keyword === 'pattern' && typeof expected === 'string') return `must be as described: ${expected}`;
  return issue.message ?? 'is invalid';
}

function fieldOf(context: string | undefined, issue: ValidationIssue): string {
  const path = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = issue.params?.requiredProperty ?? issue.params?.missingProperty;
  const field = typeof missing === 'string' ? (path ? `${path}.${missing}` : missing) : path;
  return [context, field].filter(Boolean).join('.');
}

/** One error shape for everything: `{"detail": ...}` with a fitting status, never a stack trace. */
export function installErrorHandling(app: FastifyInstance, options: { onNotFound?: (reply: FastifyReply) => void } = {}): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) {
      if (err.statusCode === 429 && typeof err.extra.retry_after === 'number') {
        void reply.header('retry-after', String(err.extra.retry_after));
      }
      return reply.status(err.statusCode).send({ detail: err.detail, ...err.extra });
    }
    if (err.validation) {
      const errors = (err.validation as ValidationIssue[]).map((issue) => ({
        field: fieldOf(err.validationContext, issue),
        message: messageOf(issue),
      }));
      const first = errors[0];
      const detail = first ? `${first.field || 'request'} ${first.message}` : 'invalid request';
      return reply.status(422).send({ detail, errors });
    }
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send({ detail: err.message || 'bad request' });
    }
    req.log.error({ err }, 'request failed');
    return reply.status(status >= 500 && status < 600 ? status : 500).send({ detail: 'Internal Server Error' });
  });

  app.setNotFoundHandler((_req, reply) => {
    options.onNotFound?.(reply);
    return reply.status(404).send({ detail: 'Not Found' });
  });
}

/** Errors Node's HTTP parser raises before Fastify sees a request (huge headers, garbage). */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) return;
  const [status, text] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout']
        : [400, 'Bad Request'];
  const body = JSON.stringify({ detail: text });
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
