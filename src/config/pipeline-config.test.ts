import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, flushAgeNotice, loadConfig } from './config.js';

describe('event-log settings', () => {
  it('when nothing is set, then events go through the embedded log into a lake under the data dir', () => {
    const p = loadConfig({ TICKETMOA_DATA_DIR: '/srv/moa' }, '/').pipeline;
    expect(p).toMatchObject({
      events: true,
      sinkInServe: true,
      bus: 'embedded',
      lakeUrl: 'file:///srv/moa/lake',
      flushMaxEvents: 1000,
      flushMaxAgeMs: 5000,
      sinkCommandFlushMaxAgeMs: 3_600_000,
      flushMaxAgeSet: false,
      s3ForcePathStyle: false,
    });
  });

  describe('the flush age', () => {
    const age = (env: Record<string, string>) => {
      const p = loadConfig({ KAFKA_BROKERS: 'k1:9092', ...env }, '/').pipeline;
      return { serve: p.flushMaxAgeMs, sinkCommand: p.sinkCommandFlushMaxAgeMs, set: p.flushMaxAgeSet };
    };

    it('when the bus is embedded (npm start), then the sink inside serve writes after 5 s, and a separate sink keeps the hour', () => {
      expect(age({})).toEqual({ serve: 5000, sinkCommand: 3_600_000, set: false });
      expect(age({ EVENT_BUS: 'embedded', LOG_FLUSH_MAX_AGE_MS: '' })).toEqual({ serve: 5000, sinkCommand: 3_600_000, set: false });
    });

    it('when the bus is Kafka, then every sink keeps the seed rule of 1000 events or 1 h', () => {
      expect(age({ EVENT_BUS: 'kafka' })).toEqual({ serve: 3_600_000, sinkCommand: 3_600_000, set: false });
      expect(age({ EVENT_BUS: 'kafka', TICKETMOA_SINK: 'off' })).toEqual({ serve: 3_600_000, sinkCommand: 3_600_000, set: false });
      expect(loadConfig({ EVENT_BUS: 'kafka', KAFKA_BROKERS: 'k1:9092' }, '/').pipeline.flushMaxEvents).toBe(1000);
    });

    it('when LOG_FLUSH_MAX_AGE_MS is set, then it wins on every bus and for every sink', () => {
      expect(age({ LOG_FLUSH_MAX_AGE_MS: '3600000' })).toEqual({ serve: 3_600_000, sinkCommand: 3_600_000, set: true });
      expect(age({ LOG_FLUSH_MAX_AGE_MS: '250' })).toEqual({ serve: 250, sinkCommand: 250, set: true });
      expect(age({ EVENT_BUS: 'kafka', LOG_FLUSH_MAX_AGE_MS: '5000' })).toEqual({ serve: 5000, sinkCommand: 5000, set: true });
    });

    it('when production serve runs on the embedded 5 s default, then a start-up notice says what it costs and how to choose', () => {
      const notice = (env: Record<string, string>) =>
        flushAgeNotice(loadConfig({ KAFKA_BROKERS: 'k1:9092', JWT_SECRET: 'x'.repeat(64), ...env }, '/'));
      expect(notice({ NODE_ENV: 'production' })).toBe(
        'the sink writes the lake 5 s after an event arrives (the embedded default, so the dashboard shows actions at once): ' +
          'a busy server writes many small files; set LOG_FLUSH_MAX_AGE_MS (3600000 = 1 h) to choose',
      );
      expect(notice({})).toBeUndefined();
      expect(notice({ NODE_ENV: 'production', LOG_FLUSH_MAX_AGE_MS: '5000' })).toBeUndefined();
      expect(notice({ NODE_ENV: 'production', EVENT_BUS: 'kafka' })).toBeUndefined();
      expect(notice({ NODE_ENV: 'production', TICKETMOA_SINK: 'off' })).toBeUndefined();
    });

    it('when LOG_FLUSH_MAX_AGE_MS is out of range, then it is named once', () => {
      try {
        loadConfig({ LOG_FLUSH_MAX_AGE_MS: '99' });
        expect.unreachable();
      } catch (err) {
        expect((err as ConfigError).problems.filter((p) => p.includes('LOG_FLUSH_MAX_AGE_MS'))).toEqual([
          'LOG_FLUSH_MAX_AGE_MS must be an integer from 100 to 604800000 (got "99")',
        ]);
      }
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
