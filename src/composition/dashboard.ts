/**
 * The composition root's dashboard half: which lake files the analytics engine reads (a `file://`
 * lake in place, anything else through the local cache) and where the built page is.
 */
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/config.js';
import type { CatalogReader } from '../features/catalog/index.js';
import { createCachedLakeFiles, createDirectLakeFiles, createDuckDbAnalyticsEngine, DashboardService } from '../features/dashboard/index.js';
import { DEMO_VIEW_DEVICE } from '../features/ingest/index.js';
import type { Lake, PendingEvents } from '../pipeline/index.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';

/** `npm run build` writes the bundled page here; from src/ (tests) and dist/ alike it is `<package>/dist/web/admin`. */
export const ADMIN_ASSET_DIR = fileURLToPath(new URL('../../dist/web/admin/', import.meta.url));

export interface Dashboard {
  service: DashboardService;
  close(): Promise<void>;
}

/** `lakeIsConfigured`: the lake is the one LAKE_URL names (not a test's replacement), so a `file://` one can be read in place. */
export function createDashboard(
  config: Config,
  deps: {
    lake: Lake;
    lakeIsConfigured: boolean;
    catalog: CatalogReader;
    clock: Clock;
    log: Pick<Logger, 'warn'>;
    /** What the event log has not written to the lake yet. */
    pending: () => PendingEvents;
    /** Files the sink in this process has written (see DashboardDeps.lakeWrites). */
    lakeWrites: () => number;
  },
): Dashboard {
  const { lakeUrl } = config.pipeline;
  // A key that would name a file outside the folder (`..`, absolute, …) is skipped, never fetched or deleted.
  const onUnsafeKey = (key: string, reason: string) =>
    deps.log.warn({ key, reason }, 'the dashboard skips a lake object whose key cannot be a file in its folder');
  const files =
    deps.lakeIsConfigured && lakeUrl.startsWith('file:')
      ? createDirectLakeFiles(deps.lake, fileURLToPath(lakeUrl), onUnsafeKey)
      : createCachedLakeFiles({ lake: deps.lake, dir: config.dashboard.lakeCacheDir, maxBytes: config.dashboard.lakeCacheBytes, onUnsafeKey });
  const engine = createDuckDbAnalyticsEngine({ files, timeoutMs: config.dashboard.queryTimeoutMs, syntheticDevice: DEMO_VIEW_DEVICE });
  return {
    service: new DashboardService({
      engine,
      catalog: deps.catalog,
      clock: deps.clock,
      cacheMs: config.dashboard.cacheMs,
      pending: deps.pending,
      lakeWrites: deps.lakeWrites,
    }),
    close: () => engine.close(),
  };
}
