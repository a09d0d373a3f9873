import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import type { Lake } from '../pipeline/index.js';
import { createS3Lake } from '../pipeline/lake/s3-lake.js';

/** A real S3-protocol server (s3rver) on 127.0.0.1 with one bucket, stoppable and restartable. */
export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** Env for a TicketMoa process writing to `s3://<bucket>/<prefix>`. */
  env(prefix: string): Record<string, string>;
  /** A lake on `s3://<bucket>/<prefix>` with this server's credentials (in-process tests); close it after use. */
  lake(prefix: string): Lake & { close(): void };
  stop(): Promise<void>;
  /** Starts again on the same port with the same data (after stop). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestS3(bucket = 'lake'): Promise<TestS3> {
  const directory = mkdtempSync(path.join(tmpdir(), 'ticketmoa-s3-'));
  let port = 0;
  let server: S3rver | undefined;
  const start = async () => {
    const s = new S3rver({ address: '127.0.0.1', port, directory, silent: true, configureBuckets: [{ name: bucket }] });
    const addr = await s.run();
    port = addr.port;
    server = s;
  };
  const stop = async () => {
    const s = server;
    server = undefined;
    if (!s) return;
    s.httpServer?.closeAllConnections();
    await s.close();
  };
  await start();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    env: (prefix) => ({
      LAKE_URL: `s3://${bucket}/${prefix}`,
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    }),
    lake: (prefix) =>
      createS3Lake({
        bucket,
        prefix,
        endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      }),
    stop,
    restart: start,
    close: async () => {
      await stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
