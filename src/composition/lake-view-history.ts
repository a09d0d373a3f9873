import type { ViewHistory, ViewRecord } from '../features/recommendations/index.js';
import { decodeEventColumns, filesForRange, listEventFiles, type Lake } from '../pipeline/index.js';

/** The `user_id` of a visitor who was not signed in. */
const ANONYMOUS = 'anonymous';
const COLUMNS = ['user_id', 'ticket_id', 'timestamp'] as const;

/**
 * The recommendation job's view history read from the lake's `View_detail_log`: signed-in
 * viewers only, keyed by `user_id`. Anonymous events carry no session key (only the User-Agent,
 * which thousands of visitors share), so they cannot be told apart and are left out.
 *
 * Only the files whose names say they can hold events of the window are read (`filesForRange`,
 * ADR 18), and their rows are filtered by timestamp.
 */
export function lakeViewHistory(lake: Lake, opts: { onUnreadable?: (key: string, err: unknown) => void } = {}): ViewHistory {
  return {
    async *viewsBetween(from, to) {
      const lo = from.getTime();
      const hi = to.getTime();
      for (const file of filesForRange(await listEventFiles(lake, 'View_detail_log'), { start: from, end: to })) {
        const bytes = await lake.get(file.key);
        if (bytes === undefined) continue;
        let rows: unknown[][];
        try {
          ({ rows } = await decodeEventColumns(bytes, COLUMNS, { timestamp: 'epoch-ms' }));
        } catch (err) {
          opts.onUnreadable?.(file.key, err);
          continue;
        }
        const batch: ViewRecord[] = [];
        for (const [viewer, runId, at] of rows) {
          if (typeof viewer !== 'string' || viewer === '' || viewer === ANONYMOUS) continue;
          if (typeof runId !== 'string' || runId === '' || typeof at !== 'number' || at < lo || at >= hi) continue;
          batch.push({ viewer, runId, at });
        }
        if (batch.length > 0) yield batch;
      }
    },
  };
}
