import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { KopisHttpError, type KopisTransport } from './kopis.client.js';

export interface HttpKopisTransportConfig {
  /** e.g. `http://kopis.or.kr/openApi/restful` */
  baseUrl: string;
  serviceKey: string;
  timeoutMs: number;
}

const MAX_BODY_BYTES = 20 * 1024 * 1024;
const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);

async function decode(body: Buffer, encoding: string | undefined): Promise<string> {
  const e = (encoding ?? '').trim().toLowerCase();
  if (e === 'gzip' || e === 'x-gzip') return (await gunzip(body)).toString('utf8');
  if (e === 'deflate') return (await inflate(body)).toString('utf8');
  return body.toString('utf8');
}

const REDACTED = '[redacted]';

/**
 * Removes the service key from text that leaves the transport: an error message, or a body that
 * echoes the request URL (a block page can): what reaches logs, errors and the database never
 * holds it, in any spelling a URL gives it.
 */
export function keyRedactor(serviceKey: string): (text: string) => string {
  const spellings = [...new Set([serviceKey, encodeURIComponent(serviceKey), new URLSearchParams({ k: serviceKey }).toString().slice(2)])].filter(
    (s) => s.length >= 4,
  );
  return (text) => spellings.reduce((t, s) => t.replaceAll(s, REDACTED), text);
}

/** A redirect's target without its query string (the one KOPIS's www host sends back carries the key). */
function redirectTarget(location: string | undefined, from: URL): string {
  if (location === undefined) return '?';
  try {
    const u = new URL(location, from);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(unreadable Location)';
  }
}

/**
 * GETs KOPIS over plain `node:http(s)`: the key goes in the `service` query parameter, and
 * `Accept-Encoding: gzip, deflate` is always sent (KOPIS's firewall answered `boxoffice` with 400
 * without it), so the body is decoded here. Error messages name the path, never the URL (it holds
 * the key), and the key is removed from every message and body that leaves here.
 */
export function createHttpKopisTransport(config: HttpKopisTransportConfig): KopisTransport {
  const base = config.baseUrl.replace(/\/+$/, '');
  const redact = keyRedactor(config.serviceKey);
  return (path, params, signal) =>
    new Promise<string>((resolve, reject) => {
      const url = new URL(`${base}/${path}`);
      url.searchParams.set('service', config.serviceKey);
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      const get = url.protocol === 'https:' ? https.get : http.get;
      const fail = (message: string, status: number | undefined, retryable: boolean) =>
        reject(new KopisHttpError(redact(`KOPIS ${path}: ${message}`), status, retryable));
      const req = get(
        url,
        {
          headers: { 'Accept-Encoding': 'gzip, deflate', Accept: 'application/xml, text/xml', 'User-Agent': 'ticketmoa-kopis/1' },
          timeout: config.timeoutMs,
          signal,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status !== 200) {
            res.resume();
            if (status >= 500 || status === 429) return fail(`HTTP ${status}`, status, true);
            if (status >= 300 && status < 400) {
              return fail(
                `HTTP ${status} redirect to ${redirectTarget(res.headers.location, url)}: point KOPIS_BASE_URL at the final host`,
                status,
                false,
              );
            }
            if (status === 400) return fail('HTTP 400 (KOPIS blocks requests without Accept-Encoding, or the parameters are wrong)', status, false);
            return fail(`HTTP ${status}`, status, false);
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_BODY_BYTES) {
              req.destroy();
              fail(`answer larger than ${MAX_BODY_BYTES} bytes`, status, false);
            } else chunks.push(c);
          });
          res.on('error', (err) => fail(`connection lost: ${err.message}`, undefined, true));
          res.on('end', () => {
            if (size > MAX_BODY_BYTES) return;
            decode(Buffer.concat(chunks), res.headers['content-encoding']).then(
              (body) => resolve(redact(body)),
              (err: Error) => fail(`could not decode the answer: ${err.message}`, status, true),
            );
          });
        },
      );
      req.on('timeout', () => {
        req.destroy();
        fail(`no answer within ${config.timeoutMs} ms`, undefined, true);
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (signal?.aborted) return reject(signal.reason as Error);
        fail(`${err.code ?? 'network error'}: ${err.message}`, undefined, true);
      });
    });
}
