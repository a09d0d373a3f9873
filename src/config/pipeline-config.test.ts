import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('event-log settings', () => {
  it('when nothing is set, then events go through the embedded log into a lake under the data dir', () => {
    const p = loadConfig({ TICKETMOA_DATA_DIR: '/srv/moa' }, '/').pipeline;
    expect(p).toMatchObject({
      events: true,
      sinkInServe: true,
      bus: 'embedded',
      lakeUrl: 'file:///srv/moa/lake',
      flushMaxEvents: 1000,
      flushMaxAgeMs: 3_600_000,
      s3ForcePathStyle: false,
    });
  });

  it('when Kafka and S3 are chosen, then their settings are read', () => {
    const p = loadConfig(
      {
        EVENT_BUS: 'kafka',
        KAFKA_BROKERS: 'k1:9092, k2:9092',
        LAKE_URL: 's3://moa-lake/events',
        S3_ENDPOINT: 'http://minio:9000',
        S3_FORCE_PATH_STYLE: 'true',
        TICKETMOA_EVENTS: 'off',
        TICKETMOA_SINK: 'off',
        LOG_FLUSH_MAX_EVENTS: '500',
      },
      path.resolve('/'),
    ).pipeline;
    expect(p).toMatchObject({
      bus: 'kafka',
      kafkaBrokers: ['k1:9092', 'k2:9092'],
      lakeUrl: 's3://moa-lake/events',
      s3Endpoint: 'http://minio:9000',
      s3ForcePathStyle: true,
      events: false,
      sinkInServe: false,
      flushMaxEvents: 500,
    });
  });

  it('when Kafka is chosen without brokers or the lake URL is bad, then the problems are named', () => {
    try {
      loadConfig({ EVENT_BUS: 'kafka', LAKE_URL: 'ftp://x', LOG_FLUSH_MAX_EVENTS: '0' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toMatch(/KAFKA_BROKERS/);
      expect(problems).toMatch(/LAKE_URL/);
      expect(problems).toMatch(/LOG_FLUSH_MAX_EVENTS/);
    }
  });
});
