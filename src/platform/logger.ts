import pino, { type LoggerOptions } from 'pino';

/** The process's one logger: JSON lines on stdout, shared by Fastify, the pipeline, jobs and commands. */
export type Logger = pino.Logger;

/** Field paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.pw',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
}

/** Made once per process by the composition root; everything else receives it. */
export function createLogger(level: string): Logger {
  return pino(loggerOptions(level));
}
