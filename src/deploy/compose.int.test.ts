import { readFileSync } from 'node:fs';
import path from 'node:path';
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
import { REPO_ROOT } from '../test-support/server-process.js';

const hasCompose = dockerComposeAvailable();
const API_INSTANCES = ['api-1', 'api-2'] as const;
const TICKETMOA_SERVICES = [...API_INSTANCES, 'sink', 'schedule'] as const;

/** A service's volumes as `source:target` (docker-compose writes `source:target:mode`). */
const mounts = (service: ComposeService): string[] =>
  (service.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':').slice(0, 2).join(':') : JSON.stringify(v)));

interface S3Config {
  identities: { name: string; credentials: { accessKey: string }[]; actions: string[] }[];
}

describe.skipIf(!hasCompose)('compose.yaml as docker-compose reads it', () => {
  it('when every setting .env.example leaves empty is filled in, then docker-compose accepts the file', () => {
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

  it('when the topology is read, then two API instances sit behind the proxy on 8000 under one alias, each with its outbox on a named volume', () => {
    for (const name of API_INSTANCES) {
      const api = service(name);
      expect(api.command).toEqual(['serve']);
      expect(api.ports ?? [], name).toEqual([]); // only through the proxy
      expect(environmentOf(api)).toMatchObject({ TICKETMOA_SINK: 'off', EVENT_BUS: 'kafka', NODE_ENV: 'production', TRUST_PROXY: '1' });
      expect(environmentOf(api).DATABASE_URL).toMatch(/^postgres:\/\/.+@postgres:5432\//);
      expect(api.networks).toMatchObject({ default: { aliases: ['api'] } });
      // a named volume: `down` and `up` attach it again, with the events it still holds
      expect(mounts(api)).toContain(`${name}-data:/data`);
      expect(Object.keys(compose.volumes ?? {})).toContain(`${name}-data`);
    }
    expect(Object.keys(compose.services).filter((name) => compose.services[name]!.command?.[0] === 'serve')).toEqual([...API_INSTANCES]);
    const proxy = service('proxy');
    expect(JSON.stringify(proxy.ports)).toContain('8000');
    expect(proxy.image).toMatch(/^nginx:1\.30(\.\d+)?-alpine$/);
    expect(proxy.command).toEqual(['nginx', '-c', '/etc/nginx/ticketmoa/nginx.conf', '-g', 'daemon off;']);
    expect(JSON.stringify(proxy.depends_on)).toContain('api-2');
  });

  it('when the topology is read, then two sinks share one consumer group, write to the S3 lake and keep nothing on disk', () => {
    const sink = service('sink');
    expect(sink.command).toEqual(['sink']);
    expect(sink.deploy?.replicas).toBe(2);
    expect(environmentOf(sink)).toMatchObject({ EVENT_BUS: 'kafka', KAFKA_GROUP_ID: 'ticketmoa-sink', S3_ENDPOINT: 'http://s3:8333' });
    expect(environmentOf(sink).LAKE_URL).toBe('s3://ticketmoa-lake/events');
    for (const name of ['sink', 'schedule']) expect(service(name).tmpfs, name).toEqual(['/data:uid=1000,gid=1000']);
  });

  it('when the topology is read, then the analytics schedules run in exactly one service', () => {
    const scheduling = Object.entries(compose.services).filter(([, s]) => {
      const env = environmentOf(s);
      return s.command?.[0] === 'serve' || s.command?.[0] === 'schedule' ? env.POPULAR_INTERVAL !== 'off' || env.RECOMMEND_INTERVAL !== 'off' : false;
    });
    expect(scheduling.map(([name]) => name)).toEqual(['schedule']);
    expect(service('schedule').deploy?.replicas ?? 1).toBe(1);
  });

  it('when the Kafka services are read, then three KRaft brokers on a 3.x image replicate three ways, stop gracefully and check health with a small heap', () => {
    const brokers = Object.keys(compose.services).filter((name) => /^kafka-\d$/.test(name));
    expect(brokers).toEqual(['kafka-1', 'kafka-2', 'kafka-3']);
    expect(Object.keys(compose.services).some((name) => name.includes('zookeeper'))).toBe(false);
    for (const name of brokers) {
      const broker = service(name);
      expect(broker.image).toMatch(/^apache\/kafka:3\.\d+\.\d+$/);
      const check = broker.healthcheck?.test.join(' ') ?? '';
      expect(check).toContain('kafka-broker-api-versions');
      expect(check).toMatch(/KAFKA_HEAP_OPTS="[^"]*-Xmx128m/);
      expect(broker.stop_grace_period).toBe('120s');
      expect(environmentOf(broker)).toMatchObject({
        KAFKA_PROCESS_ROLES: 'broker,controller',
        KAFKA_CONTROLLER_QUORUM_VOTERS: '1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093',
        KAFKA_DEFAULT_REPLICATION_FACTOR: '3',
        KAFKA_MIN_INSYNC_REPLICAS: '2',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '3',
      });
      expect(JSON.stringify(broker.volumes)).toContain(`${name}-data`);
    }
    expect(environmentOf(service('api-1')).KAFKA_REPLICATION_FACTOR).toBe('3');
    expect(environmentOf(service('api-1')).KAFKA_BROKERS).toBe('kafka-1:9092,kafka-2:9092,kafka-3:9092');
  });

  it('when the supporting services are read, then Kafka UI is on 8081 and PostgreSQL 17 keeps a named volume and is checked over TCP', () => {
    expect(JSON.stringify(service('kafka-ui').ports)).toMatch(/"?8081"?/);
    expect(environmentOf(service('kafka-ui')).KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS).toBe('kafka-1:9092,kafka-2:9092,kafka-3:9092');
    const postgres = service('postgres');
    // 18 moved its data directory (/var/lib/postgresql/18/docker): the volume below is 17's
    expect(postgres.image).toBe('postgres:17');
    expect(postgres.healthcheck?.test.join(' ')).toContain('pg_isready -h 127.0.0.1');
    expect(mounts(postgres)).toContain('postgres-data:/var/lib/postgresql/data');
  });

  it('when the S3 services are read, then SeaweedFS keeps a named volume on its own network and a one-shot job makes the bucket without hiding failures', () => {
    const s3 = service('s3');
    expect(s3.image).toMatch(/^chrislusf\/seaweedfs:\d+\.\d+$/);
    expect(s3.command).toContain('-s3.config=/etc/seaweedfs/s3.json');
    expect(s3.healthcheck?.test.join(' ')).toContain('/healthz');
    expect(mounts(s3)).toContain('s3-data:/data');
    expect(s3.networks).toEqual({ lake: null });
    expect(JSON.stringify(s3.ports)).toContain('127.0.0.1:8333:8333');
    const init = service('s3-init');
    expect(init.restart).toBe('no');
    expect(init.user).toBe('1000:1000');
    expect(init.entrypoint).toEqual(['/bin/sh', '/s3-init.sh']);
    expect(init.depends_on).toEqual({ s3: { condition: 'service_healthy' } });
    const script = readFileSync(path.join(REPO_ROOT, 'deploy/seaweedfs/s3-init.sh'), 'utf8');
    expect(script).toMatch(/^set -eu$/m);
    expect(script).not.toMatch(/\|\|\s*true\s*$/m);
    // the lake key may touch its bucket only; the admin key is never the service's
    const identities = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'deploy/seaweedfs/s3.json'), 'utf8')) as S3Config).identities;
    const lakeKey = identities.find((i) => i.credentials[0]?.accessKey === '${LAKE_ACCESS_KEY}');
    expect(lakeKey?.actions).toEqual(['Read:ticketmoa-lake', 'Write:ticketmoa-lake', 'List:ticketmoa-lake', 'Tagging:ticketmoa-lake']);
    for (const name of TICKETMOA_SERVICES) {
      expect(environmentOf(service(name)).AWS_ACCESS_KEY_ID).toBe('ticketmoa-lake'); // .env.example's
      expect(JSON.stringify(service(name).networks)).toContain('lake');
    }
    for (const name of ['proxy', 'postgres', 'kafka-1', 'kafka-ui']) expect(JSON.stringify(service(name).networks ?? {}), name).not.toContain('lake');
  });

  it('when the TicketMoa services are read, then each waits for healthy peers, restarts, checks its health and keeps metrics off the host', () => {
    for (const name of TICKETMOA_SERVICES) {
      const s = service(name);
      expect(s.restart, name).toBe('unless-stopped');
      expect(s.depends_on, name).toMatchObject({
        postgres: { condition: 'service_healthy' },
        'kafka-1': { condition: 'service_healthy' },
        's3-init': { condition: 'service_completed_successfully' },
      });
      expect(environmentOf(s).METRICS_PORT, name).toBe('9464');
      expect(environmentOf(s).PUBLIC_URL, name).toBe(TEST_SECRETS.PUBLIC_URL);
      expect(JSON.stringify(s.ports ?? []), name).not.toContain('9464');
    }
    // the image's own HEALTHCHECK knows each command (bin/healthcheck.js): no copy of it here
    for (const name of TICKETMOA_SERVICES) expect(service(name).healthcheck, name).toBeUndefined();
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
