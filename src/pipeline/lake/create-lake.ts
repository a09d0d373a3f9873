import { fileURLToPath } from 'node:url';
import type { PipelineConfig } from '../../config/config.js';
import type { Lake } from './lake.js';
import { createLocalLake } from './local-lake.js';
import { createS3Lake, parseS3Url } from './s3-lake.js';

/** The lake LAKE_URL names: a local folder (`file://`) or an S3 bucket and prefix (`s3://`). */
export function createLake(config: PipelineConfig): Lake & { close(): void } {
  if (config.lakeUrl.startsWith('s3:')) {
    return createS3Lake({
      ...parseS3Url(config.lakeUrl),
      endpoint: config.s3Endpoint,
      region: config.s3Region,
      forcePathStyle: config.s3ForcePathStyle,
      connectTimeoutMs: config.s3ConnectTimeoutMs,
      requestTimeoutMs: config.s3RequestTimeoutMs,
    });
  }
  return { ...createLocalLake(fileURLToPath(config.lakeUrl)), close: () => {} };
}
