import pg from 'pg';

/** Sent (with the new catalogue version) in the same transaction as every catalogue write. */
export const CATALOG_CHANGED = 'catalog_changed';
/** Sent (with the user id) in the same statement as every like or unlike that changed something. */
export const LIKES_CHANGED = 'likes_changed';

const RECONNECT_MS = 1000;
/** A LISTEN connection that cannot be opened in this time is retried, not waited on. */
const CONNECT_TIMEOUT_MS = 5000;

export interface Listening {
  close(): Promise<void>;
}

/**
 * Keeps one dedicated connection LISTENing on `channel` and calls `onNotify` with each
 * notification's payload. Notifications sent while the connection is down are lost, so after a
 * reconnect `onNotify` is called once without a payload to catch up.
 */
export async function listen(
  url: string,
  channel: string,
  onNotify: (payload?: string) => void,
  onError: (err: unknown) => void,
): Promise<Listening> {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const reconnectLater = (): void => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().then(
        () => onNotify(),
        (err: unknown) => {
          onError(err);
          reconnectLater();
        },
      );
    }, RECONNECT_MS);
    retry.unref();
  };

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    const lost = (err?: Error): void => {
      if (err) onError(err);
      if (client !== c) return;
      client = undefined;
      c.end().catch(() => {});
      reconnectLater();
    };
    c.on('notification', (msg) => {
      if (msg.channel === channel) onNotify(msg.payload);
    });
    c.on('error', lost);
    c.on('end', () => lost());
    try {
      await c.connect();
      await c.query(`LISTEN ${c.escapeIdentifier(channel)}`);
    } catch (err) {
      c.end().catch(() => {});
      throw err;
    }
    if (closed) await c.end();
    else client = c;
  };

  await connect();
  return {
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = undefined;
      await c?.end();
    },
  };
}
