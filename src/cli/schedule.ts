import { describeDatabase } from '../config/database-location.js';
import { kopisWarning } from '../config/config.js';
import { startProcessMetrics } from '../composition/metrics.js';
import type { Command } from './command.js';
import { configFromEnvironment, openContainer, untilStopSignal } from './runtime.js';
import { startSchedules } from './schedules.js';

export const scheduleCommand: Command = {
  summary: 'run only the scheduled jobs (popular, recommend, compact-lake, KOPIS sync), without the HTTP API',
  usage: `usage: ticketmoa schedule

Runs the popular job every POPULAR_INTERVAL (default 1h), rebuilds recommendations every
RECOMMEND_INTERVAL (default 24h), compacts the lake's closed days every COMPACT_INTERVAL
(default 24h, see compact-lake), and with KOPIS_SERVICE_KEY set syncs the catalogue with KOPIS
every KOPIS_SYNC_INTERVAL (default 24h), each in a child process at low OS priority, as "ticketmoa serve"
does, but serves no requests: for deployments whose API instances run with
POPULAR_INTERVAL, RECOMMEND_INTERVAL and KOPIS_SYNC_INTERVAL off, so that the schedules live in one place. A lease in
the database keeps runs from overlapping anyway. With METRICS_PORT set, GET /metrics and
GET /healthz answer on that port. SIGTERM stops a running job (its lease is freed) and exits.`,
  async run() {
    const config = configFromEnvironment();
    if (!config) return 2;
    const stopSignal = untilStopSignal();
    const container = await openContainer('schedule', config, { mayCreate: true, announce: false });
    if (!container) return 1;
    const { log } = container;
    let metricsListener: { close(): Promise<void> } | undefined;
    const schedules = startSchedules(container);
    try {
      if (config.metrics.on === 'port') metricsListener = await startProcessMetrics(container.metrics, config.metrics, log);
      if (schedules.length === 0)
        log.warn('every schedule is off (POPULAR_INTERVAL, RECOMMEND_INTERVAL; KOPIS needs KOPIS_SERVICE_KEY): nothing to schedule');
      const kopisNotice = kopisWarning(config.kopis);
      if (kopisNotice) log.warn(kopisNotice);
      const kopis = config.kopis.serviceKey === undefined ? 'off (no KOPIS_SERVICE_KEY)' : config.kopis.syncIntervalMs;
      log.info(
        {
          popular: config.popularIntervalMs,
          recommend: config.recommendIntervalMs,
          compact: config.compactIntervalMs,
          kopis,
          database: describeDatabase(config),
        },
        'schedules are running',
      );
      // The schedules' timers do not hold the process (serve's server does): without a metrics
      // port nothing else would, and the process would exit at once.
      const keepAlive = setInterval(() => undefined, 1 << 30);
      const signal = await stopSignal.finally(() => clearInterval(keepAlive));
      log.info({ signal }, 'schedules stopping');
      return 0;
    } finally {
      await Promise.all(schedules.map((s) => s.stop()));
      await metricsListener?.close();
      await container.close();
    }
  },
};
