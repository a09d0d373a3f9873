/** The composition root's KOPIS half: the HTTP transport, the paced client and the services on it. */
import type { KopisConfig } from '../config/config.js';
import type { Stores } from '../databases.js';
import type { ImportService } from '../features/ingest/index.js';
import { JobRunner, type JobRunnerDeps } from '../features/jobs/index.js';
import {
  createHttpKopisTransport,
  createKopisClient,
  KopisBoxofficeService,
  kopisSyncJob,
  KopisSyncService,
  type KopisClient,
  type KopisSyncSummary,
  type SyncOptions,
  type SyncProgress,
} from '../features/kopis/index.js';
import { systemTimer, type Clock, type Timer } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';

/** A sync that dies without releasing its lease blocks the next one for at most this long. */
const KOPIS_LEASE_MS = 5 * 60_000;
export const KOPIS_JOB = 'kopis';

export interface KopisServices {
  /** Whether KOPIS_SERVICE_KEY is set. */
  configured: boolean;
  client: KopisClient;
  sync: KopisSyncService;
  boxoffice: KopisBoxofficeService;
  /** The sync as a job under the `kopis` lease (one sync per database at a time). */
  job(options?: SyncOptions, onProgress?: (p: SyncProgress) => void): JobRunner<KopisSyncSummary>;
}

export function createKopisServices(deps: {
  config: KopisConfig;
  stores: Stores;
  importService: ImportService;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
  runner: JobRunnerDeps;
  timer?: Timer;
}): KopisServices {
  const { config, stores, clock, ids, log } = deps;
  const transport = createHttpKopisTransport({ baseUrl: config.baseUrl, serviceKey: config.serviceKey ?? '', timeoutMs: config.timeoutMs });
  const client = createKopisClient({
    transport: async (path, params, signal) => {
      if (config.serviceKey === undefined) throw new Error('KOPIS_SERVICE_KEY is not set: get a key at https://www.kopis.or.kr (Open API)');
      return transport(path, params, signal);
    },
    budget: stores.kopis,
    clock,
    timer: deps.timer ?? systemTimer,
    policy: { ratePerSecond: config.ratePerSecond, retries: config.retries, backoffMs: config.backoffMs, dailyBudget: config.dailyCallBudget },
    onRetry: ({ path, attempt, waitMs, error }) => log.warn({ path, attempt, waitMs, err: error.message }, 'KOPIS call failed: retrying'),
  });
  const sync = new KopisSyncService({ client, store: stores.kopis, writer: deps.importService, clock, ids, defaultDays: config.syncDays });
  const boxoffice = new KopisBoxofficeService({
    client,
    links: stores.kopis,
    performances: stores.performances,
    ranking: (window) => stores.popular.ranking(window),
  });
  return {
    configured: config.serviceKey !== undefined,
    client,
    sync,
    boxoffice,
    job: (options, onProgress) => new JobRunner(KOPIS_JOB, kopisSyncJob(sync, options, onProgress), KOPIS_LEASE_MS, deps.runner),
  };
}
