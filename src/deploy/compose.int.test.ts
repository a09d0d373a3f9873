import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import {
  COMPOSE_FILE,
  dockerCompose,
  dockerComposeAvailable,
  ENV_EXAMPLE,
  environmentOf,
  resolvedCompose,
  TEST_SECRETS,
  type ComposeService,
} from '../test-support/compose.js';

const hasCompose = dockerComposeAvailable();
const TICKETMOA_SERVICES = ['api', 'sink', 'schedule'] as const;

describe.skipIf(!hasCompose)('compose.yaml as docker-compose reads it', () => {
  it('when every secret of .env.example is filled in, then docker-compose accepts the file', () => {
    const run = dockerCompose(['config', '-q'], TEST_SECRETS);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 60_000);

  it('when .env.example is used as it is, then compose refuses to start and says which secret to set', () => {
    const run = dockerCompose(['config', '-q'], {});
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/set [A-Z_]+ in \.env/);
    for (const name of Object.keys(TEST_SECRETS)) {
      const others = Object.fromEntries(Object.entries(TEST_SECRETS).filter(([other]) => other !== name));
      expect(dockerCompose(['config', '-q'], others).stderr, `${name} may not be left empty`).toContain(`set ${name} in .env`);
    }
  }, 120_000); // seven runs of docker-compose (Python): seconds each on a loaded machine

  it('when the file and .env.example are read, then neither holds a secret value', () => {
    const example = readFileSync(ENV_EXAMPLE, 'utf8');
    for (const name of Object.keys(TEST_SECRETS)) expect(example).toMatch(new RegExp(`^${name}=$`, 'm'));
    const compose = readFileSync(COMPOSE_FILE, 'utf8');
    expect(compose).not.toMatch(/(PASSWORD|SECRET)[A-Z_]*: (?!\$\{)/);
  });

  const compose = hasCompose ? resolvedCompose() : { services: {} };
  const service = (name: string): ComposeService => {
    const found = compose.services[name];
    if (!found) throw new Error(`compose.yaml has no service "${name}"`);
    return found;
  };

  it('when the topology is read, then two API replicas sit behind the proxy on 8000 with the sink off and Kafka on', () => {
    const api = service('api');
    expect(api.command).toEqual(['serve']);
    expect(api.deploy?.replicas).toBe(2);
    expect(api.ports ?? []).toEqual([]); // only through the proxy
    expect(environmentOf(api)).toMatchObject({ TICKETMOA_SINK: 'off', EVENT_BUS: 'kafka', NODE_ENV: 'production', TRUST_PROXY: '1' });
    expect(environmentOf(api).DATABASE_URL).toMatch(/^postgres:\/\/.+@postgres:5432\//);
    expect(JSON.stringify(service('proxy').ports)).toContain('8000');
  });

  it('when the topology is read, then two sinks share one consumer group and write to the S3 lake', () => {
    const sink = service('sink');
    expect(sink.command).toEqual(['sink']);
    expect(sink.deploy?.replicas).toBe(2);
    expect(environmentOf(sink)).toMatchObject({ EVENT_BUS: 'kafka', KAFKA_GROUP_ID: 'ticketmoa-sink', S3_ENDPOINT: 'http://minio:9000' });
    expect(environmentOf(sink).LAKE_URL).toMatch(/^s3:\/\//);
  });

  it('when the topology is read, then the analytics schedules run in exactly one service', () => {
    const scheduling = Object.entries(compose.services).filter(([, s]) => {
      const env = environmentOf(s);
      return s.command?.[0] === 'serve' || s.command?.[0] === 'schedule' ? env.POPULAR_INTERVAL !== 'off' || env.RECOMMEND_INTERVAL !== 'off' : false;
    });
    expect(scheduling.map(([name]) => name)).toEqual(['schedule']);
    expect(service('schedule').deploy?.replicas ?? 1).toBe(1);
  });

  it('when the Kafka services are read, then three KRaft brokers on a 3.x image replicate three ways with two in sync', () => {
    const brokers = Object.keys(compose.services).filter((name) => /^kafka-\d$/.test(name));
    expect(brokers).toEqual(['kafka-1', 'kafka-2', 'kafka-3']);
    expect(Object.keys(compose.services).some((name) => name.includes('zookeeper'))).toBe(false);
    for (const name of brokers) {
      const broker = service(name);
      expect(broker.image).toMatch(/^apache\/kafka:3\.\d+\.\d+$/);
      expect(broker.healthcheck?.test.join(' ')).toContain('kafka-broker-api-versions');
      expect(environmentOf(broker)).toMatchObject({
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093',
        KAFKA_DEFAULT_REPLICATION_FACTOR: '3',
        KAFKA_MIN_INSYNC_REPLICAS: '2',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '3',
      });
      expect(JSON.stringify(broker.volumes)).toContain(`${name}-data`);
    }
    expect(environmentOf(service('api')).KAFKA_REPLICATION_FACTOR).toBe('3');
    expect(environmentOf(service('api')).KAFKA_BROKERS).toBe('kafka-1:9092,kafka-2:9092,kafka-3:9092');
  });

  it('when the supporting services are read, then Kafka UI is on 8081, PostgreSQL 16 or 17 keeps a named volume, MinIO gets its bucket', () => {
    expect(JSON.stringify(service('kafka-ui').ports)).toMatch(/"?8081"?/);
    expect(environmentOf(service('kafka-ui')).KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS).toBe('kafka-1:9092,kafka-2:9092,kafka-3:9092');
    const postgres = service('postgres');
    expect(postgres.image).toMatch(/^postgres:1[67]/);
    expect(postgres.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(JSON.stringify(postgres.volumes)).toContain('postgres-data');
    expect(Object.keys(compose.volumes ?? {})).toEqual(expect.arrayContaining(['postgres-data', 'minio-data']));
    const bucket = service('minio-bucket');
    expect(bucket.restart).toBe('no');
    expect(bucket.entrypoint?.join(' ')).toContain('mc mb --ignore-existing');
    expect(bucket.depends_on).toEqual({ minio: { condition: 'service_healthy' } });
  });

  it('when the TicketMoa services are read, then each waits for healthy peers, restarts, checks its health and keeps metrics off the host', () => {
    for (const name of TICKETMOA_SERVICES) {
      const s = service(name);
      expect(s.restart, name).toBe('unless-stopped');
      expect(s.depends_on, name).toMatchObject({
        postgres: { condition: 'service_healthy' },
        'kafka-1': { condition: 'service_healthy' },
        'minio-bucket': { condition: 'service_completed_successfully' },
      });
      expect(environmentOf(s).METRICS_PORT, name).toBe('9464');
      expect(JSON.stringify(s.ports ?? []), name).not.toContain('9464');
    }
    for (const name of ['sink', 'schedule']) expect(service(name).healthcheck?.test.join(' ')).toContain('9464/healthz');
  });

  it('when each TicketMoa service’s environment is given to the configuration, then it is accepted as production configuration', () => {
    for (const name of TICKETMOA_SERVICES) {
      const config = loadConfig(environmentOf(service(name)), '/app');
      expect(config.nodeEnv).toBe('production');
      expect(config.metrics).toEqual({ on: 'port', port: 9464, host: '0.0.0.0' });
      expect(config.pipeline.bus).toBe('kafka');
    }
  });
});
