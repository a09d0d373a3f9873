/** Error shapes kafkajs produces, and how the bus reads them. */

interface KafkaJsErrorLike {
  name?: unknown;
  type?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

/** The error and what it wraps: kafkajs nests the broker's answer in retry and bail errors. */
function* chain(err: unknown): Generator<KafkaJsErrorLike> {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current !== null && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as KafkaJsErrorLike;
    yield e;
    current = e.originalError ?? e.cause;
  }
}

/**
 * Broker answers that refuse the records themselves, so sending them again can never succeed.
 * CORRUPT_MESSAGE is retriable in kafkajs (it can be a bit flip on the way); it only reaches
 * the forwarder once kafkajs's own retries kept getting it, and then it is the record.
 * Authorization or configuration errors are not here: they refuse every row alike, and setting
 * rows aside for them would empty the outbox into the side table.
 */
const RECORD_REFUSALS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TOPIC_EXCEPTION',
  'UNSUPPORTED_FOR_MESSAGE_FORMAT',
]);

/** The broker's error type when it refused the records for good; undefined for anything transient. */
export function recordRefusal(err: unknown): string | undefined {
  for (const e of chain(err)) {
    if (e.name === 'KafkaJSProtocolError' && typeof e.type === 'string' && RECORD_REFUSALS.has(e.type)) return e.type;
  }
  return undefined;
}

const UNREACHABLE = new Set(['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError']);

/** True when the cluster did not answer at all (as opposed to answering no). */
export function isUnreachable(err: unknown): boolean {
  for (const e of chain(err)) if (typeof e.name === 'string' && UNREACHABLE.has(e.name)) return true;
  return false;
}
