import {
  registerCompressionMetrics,
  registerForwarderMetrics,
  registerOutboxMetrics,
  registerSinkMetrics,
  startProcessMetrics,
} from '../composition/metrics.js';
import { flushAgeNotice } from '../config/config.js';
import type { Container } from '../container.js';
import { LINK_BLANKED, loadDemoIfEmpty } from '../features/ingest/index.js';
import type { Schedule } from '../features/jobs/scheduler.js';
import type { Config } from '../config/config.js';
import { describeDatabase } from '../config/database-location.js';
import type { Logger } from '../platform/logger.js';
import { topicPrefix } from '../pipeline/index.js';
import type { Command } from './command.js';
import { portProblem, type WantedPort } from './port-check.js';
import { configFromEnvironment, openContainer, untilStopSignal } from './runtime.js';
import { startSchedules } from './schedules.js';

/** How often the API checks the store for catalogue changes made by other processes. */
const CATALOG_POLL_MS = 2000;

export const serveCommand: Command = {
  summary: 'run the HTTP API (what npm start runs)',
  usage: `usage: ticketmoa serve

Serves the API on HOST:PORT (default 0.0.0.0:8000). On an empty database a demo catalogue
is loaded first unless TICKETMOA_DEMO=0. Configuration comes from the environment and .env.
Runs the popular job every POPULAR_INTERVAL (default 1h) and rebuilds recommendations every
RECOMMEND_INTERVAL (default 24h), and with KOPIS_SERVICE_KEY set syncs the catalogue with KOPIS
every KOPIS_SYNC_INTERVAL (default 24h), each in a child process at low OS priority; 0 or off
turns a schedule off.
Once per database, before listening, stored links no frontend may be given (javascript:, …) are
set to null (see ticketmoa repair-links).
The event-log sink runs in this process unless TICKETMOA_SINK=off. On the embedded bus it writes
its buffers to the lake 5 s after their oldest event by default (your own actions show on /admin
within seconds); on Kafka after 1 h; LOG_FLUSH_MAX_AGE_MS sets it for both.
GET /readyz answers 200 once started and while the database answers. Metrics: GET /metrics on
this port, or on METRICS_PORT when that is set (METRICS_PORT=off: none).`,
  async run() {
    const config = configFromEnvironment();
    if (!config) return 2;
    // The ports first: a second serve on a busy port stops here, before it migrates or writes a demo.
    const busy = await portProblem(portsOf(config));
    if (busy) {
      process.stderr.write(`ticketmoa serve: ${busy}. Nothing was written.\n`);
      return 1;
    }
    // Listen from the start: a SIGTERM while starting up then stops gracefully once up, instead of
    // killing the process with its outbox and buffers unflushed (a second signal still kills it).
    const stopSignal = untilStopSignal();
    const container = await openContainer('serve', config, { mayCreate: true, announce: false });
    if (!container) return 1;
    const { log } = container;
    // The HTTP app loads the catalogue before it is built, so a store that cannot be read stops the start here.
    const app = await container.buildHttp().catch(async (err: unknown) => {
      await container.close();
      throw err;
    });
    const schedules: Schedule[] = [];
    const forwarder = container.pipeline.startForwarder();
    const sink = config.pipeline.sinkInServe ? await container.pipeline.startSink({ encodeOffThread: true }) : undefined;
    let metricsListener: { close(): Promise<void> } | undefined;
    try {
      const { metrics } = container;
      registerOutboxMetrics(metrics, container.pipeline);
      if (container.pipeline.bus.kind === 'kafka') registerForwarderMetrics(metrics, forwarder);
      if (sink) registerSinkMetrics(metrics, sink);
      metrics.gauge('ticketmoa_catalog_runs', 'Runs in the in-memory catalogue', () => container.catalog.size());
      registerCompressionMetrics(metrics);
      metricsListener = await startProcessMetrics(metrics, config.metrics, log);
      for (const warning of container.warnings) log.warn(warning);
      const flushNotice = flushAgeNotice(config);
      if (flushNotice) log.warn(flushNotice);
      const demo = await loadDemoIfEmpty({
        enabled: config.demo,
        store: container.stores.performances,
        clock: container.clock,
        lake: container.lake,
      });
      if (demo.loaded) {
        await container.catalog.refresh();
        log.info({ runs: demo.runs, around: demo.today }, 'the database was empty: loaded a demo catalogue (set TICKETMOA_DEMO=0 to start empty)');
        if (demo.viewLog)
          log.info({ ...demo.viewLog }, 'wrote a synthetic view log of the demo for 주간 베스트 (popular); its events are marked as such');
      }
      await repairLinksOnce(container, log);
      // A demo's view log is counted before the API listens, or else at the schedule's first check.
      const viewLog = demo.loaded && demo.viewLog !== undefined;
      const counted = viewLog && (await countDemoViews(container, log));
      await container.watchCatalog(CATALOG_POLL_MS, (err) => log.error({ err }, 'catalogue reload failed'));
      schedules.push(...startSchedules(container, { popularNow: viewLog && !counted }));
      await app.listen({ port: config.port, host: config.host });
      container.setStartup('done');
      log.info(
        { runs: container.catalog.size(), docs: `http://localhost:${config.port}/docs`, database: describeDatabase(config) },
        'TicketMoa is serving',
      );
      const signal = await stopSignal;
      log.info({ signal }, 'shutting down');
      return 0;
    } finally {
      container.setStartup('stopping');
      await Promise.all(schedules.map((s) => s.stop()));
      await app.close();
      // The API has stopped recording: ship what is left (for at most OUTBOX_DRAIN_MS), then
      // write the sink's buffers. Rows that could not be shipped stay in the outbox for the next start.
      const drainMs = container.pipeline.bus.kind === 'kafka' ? config.pipeline.outboxDrainMs : 0;
      await forwarder.stop({ drainMs }); // it logs how many events stay behind
      await sink?.stop();
      await metricsListener?.close();
      await container.close();
    }
  },
};

/** The API's port, and the metrics port when metrics have one of their own. */
function portsOf(config: Config): WantedPort[] {
  const ports: WantedPort[] = [{ setting: 'PORT', port: config.port, host: config.host }];
  if (config.metrics.on === 'port') ports.push({ setting: 'METRICS_PORT', port: config.metrics.port, host: config.metrics.host });
  return ports;
}

/**
 * Blanks stored unsafe links (see `ticketmoa repair-links`) before the API listens, once per
 * database: the job's finish is recorded under its lease, so every later start costs one query.
 * Only runs stored before imports checked links can hold them, so the one full read of the
 * catalogue happens on the first start after the upgrade. A failure is logged, not fatal.
 */
async function repairLinksOnce(container: Container, log: Logger): Promise<void> {
  try {
    const outcome = await container.linkRepair.runIfDue(Number.POSITIVE_INFINITY, {
      onProgress: (message) => {
        if (message.startsWith(LINK_BLANKED))
          log.warn({ job: 'repair-links', link: message.slice(LINK_BLANKED.length) }, 'blanked an unsafe stored link');
      },
    });
    if (outcome?.status !== 'ran') return;
    log.info({ job: 'repair-links', ms: outcome.ms, ...outcome.summary }, 'checked the stored links once for this database');
    if (outcome.summary.cleaned > 0) await container.catalog.refresh();
  } catch (err) {
    log.error({ err, job: 'repair-links' }, 'checking the stored links failed: run ticketmoa repair-links');
  }
}

/**
 * Runs the popular job here, before the API listens, when the demo's view log is the lake's only
 * view-log file: about a thousand events, read in milliseconds, so 주간 베스트 is full from the
 * first request instead of after a child process has started on a busy machine. A lake with other
 * view logs (a data dir whose database was removed) is left to the scheduled child process, as
 * reading it could take long. Returns whether it ran.
 */
async function countDemoViews(container: Container, log: Logger): Promise<boolean> {
  try {
    if ((await container.lake.list(topicPrefix('View_detail_log'))).length !== 1) return false;
    const outcome = await container.jobs.popular.run();
    if (outcome.status !== 'ran') return false;
    log.info({ job: 'popular', ms: outcome.ms, ...outcome.summary }, 'popular job ran on the demo view log');
    await container.catalog.refresh(); // "this weekend" ranks by the new 7-day views
    return true;
  } catch (err) {
    log.error({ err, job: 'popular' }, 'counting the demo view log failed: the schedule will');
    return false;
  }
}
