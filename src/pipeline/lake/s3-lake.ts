import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Lake, LakeObject } from './lake.js';

export interface S3LakeConfig {
  bucket: string;
  /** Key prefix inside the bucket, without leading or trailing slash ('' for none). */
  prefix: string;
  endpoint: string | undefined;
  region: string;
  forcePathStyle: boolean;
  /** Explicit credentials (tests); otherwise the SDK's default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Opening a connection may take this long. */
  connectTimeoutMs?: number;
  /** One call (all its attempts) may take this long, so a stalled PUT cannot freeze the sink. */
  requestTimeoutMs?: number;
}

/** `s3://bucket/some/prefix` → bucket and prefix. */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const u = new URL(url);
  if (u.protocol !== 's3:' || u.hostname === '') throw new Error(`not an s3://bucket/prefix URL: ${url}`);
  return { bucket: u.hostname, prefix: decodeURIComponent(u.pathname).replace(/^\/+|\/+$/g, '') };
}

/**
 * A lake in an S3 bucket (AWS, MinIO, or any S3-compatible server). A PutObject is atomic by
 * S3's own rules. Credentials come from the SDK's usual chain (AWS_ACCESS_KEY_ID, profiles, roles).
 */
export function createS3Lake(config: S3LakeConfig, deps: { client?: S3Client } = {}): Lake & { close(): void } {
  const connectTimeoutMs = config.connectTimeoutMs ?? 3000;
  const requestTimeoutMs = config.requestTimeoutMs ?? 30_000;
  const client =
    deps.client ??
    new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials: config.credentials,
      maxAttempts: 2,
      // The SDK's default checksums send a streamed body as `aws-chunked` with a trailer, which
      // some S3-compatible servers store verbatim (s3rver did): checksum only where S3 requires it.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      requestHandler: { connectionTimeout: connectTimeoutMs, requestTimeout: requestTimeoutMs },
    });
  // The handler's requestTimeout counts idle socket time; the signal bounds the whole call.
  const deadline = () => ({ abortSignal: AbortSignal.timeout(requestTimeoutMs) });
  const full = (key: string) => (config.prefix === '' ? key : `${config.prefix}/${key}`);
  const strip = config.prefix === '' ? 0 : config.prefix.length + 1;
  return {
    async put(key, body) {
      await client.send(new PutObjectCommand({ Bucket: config.bucket, Key: full(key), Body: body }), deadline());
    },
    async putFile(key, file) {
      // One PUT of a stream (up to 5 GB, far above a day of one topic): as atomic as `put`.
      const { size } = await stat(file);
      const bodyTimeout = { abortSignal: AbortSignal.timeout(Math.max(requestTimeoutMs, size / 1000)) };
      await client.send(
        new PutObjectCommand({ Bucket: config.bucket, Key: full(key), Body: createReadStream(file), ContentLength: size }),
        bodyTimeout,
      );
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: full(key) }), deadline());
    },
    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: full(key) }), deadline());
        return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      } catch (err) {
        if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return undefined;
        throw err;
      }
    },
    async list(prefix) {
      const out: LakeObject[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: config.bucket, Prefix: full(prefix), ContinuationToken: token }),
          deadline(),
        );
        for (const o of page.Contents ?? []) {
          if (o.Key !== undefined) out.push({ key: o.Key.slice(strip), size: o.Size ?? 0 });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    close: () => client.destroy(),
  };
}
