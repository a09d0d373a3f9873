import pino, { type LoggerOptions } from 'pino';
import { build as prettyStream } from 'pino-pretty';

/**
 * The process's one logger, shared by Fastify, the pipeline, jobs and commands: JSON lines on
 * stdout, or readable text when a person is watching (a terminal, or LOG_FORMAT=pretty).
 */
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

export type LogFormat = 'auto' | 'json' | 'pretty';

/** `auto` is text on a terminal and JSON anywhere else (a pipe, a file, a container's log driver). */
export function logsArePretty(format: LogFormat, stdoutIsTerminal: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && stdoutIsTerminal);
}

/** Made once per process by the composition root; everything else receives it. */
export function createLogger(level: string, format: LogFormat = 'auto'): Logger {
  if (!logsArePretty(format, process.stdout.isTTY === true)) return pino(loggerOptions(level));
  // Synchronous, in this thread: a person reads these, and none may be lost at exit.
  return pino(loggerOptions(level), prettyStream({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
}
