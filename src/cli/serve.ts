import { createContainer } from '../container.js';
import type { Command } from './command.js';
import { configFromEnvironment, untilStopSignal } from './runtime.js';

/** How often the API checks the store for catalogue changes made by other processes. */
const CATALOG_POLL_MS = 2000;

export const serveCommand: Command = {
  summary: 'run the HTTP API (what npm start runs)',
  usage: `usage: ticketmoa serve

Serves the API on HOST:PORT (default 0.0.0.0:8000). On an empty database a demo catalogue
is loaded first unless TICKETMOA_DEMO=0. The event-log sink runs in this process unless
TICKETMOA_SINK=off. Configuration comes from the environment and .env.`,
  async run() {
    const config = configFromEnvironment();
    if (!config) return 2;
    const container = await createContainer(config);
    const app = await container.buildHttp();
    const forwarder = container.pipeline.startForwarder();
    const sink = config.pipeline.sinkInServe ? await container.pipeline.startSink() : undefined;
    try {
      container.catalog.startWatching(CATALOG_POLL_MS, (err) => app.log.error({ err }, 'catalogue reload failed'));
      await app.listen({ port: config.port, host: config.host });
      app.log.info(
        { runs: container.catalog.size(), docs: `http://localhost:${config.port}/docs` },
        'TicketMoa is serving',
      );
      const signal = await untilStopSignal();
      app.log.info({ signal }, 'shutting down');
      return 0;
    } finally {
      await app.close();
      // The API has stopped recording: ship what is left, then write the sink's buffers.
      await forwarder.stop();
      await sink?.stop();
      await container.close();
    }
  },
};
