import { kstDate, kstTimestamp } from '../../platform/kst.js';
import { putEventFile, type Lake, type LoggedEvent } from '../../pipeline/index.js';
import { isCurrent, type Performance } from '../catalog/index.js';
import { createRandom, type Random } from './seed-random.js';

/**
 * The demo's synthetic view log: a fresh install has no visitors yet, so 주간 베스트 (`/popular`)
 * would stay empty until real detail views reach the lake (an hour on a quiet demo). The demo
 * writes one clearly marked file of made-up views instead, which the real popular job counts.
 */

/** The file's source in its lake key (`…-demo-p0-o000000000000.parquet`), where the sink writes a log id or `kafka`. */
export const DEMO_VIEW_SOURCE = 'demo';
/** Every synthetic event's `device` (User-Agent column): filter on it to leave them out of an analysis. */
export const DEMO_VIEW_DEVICE = 'TicketMoa demo (synthetic view)';
/** How many runs get views. */
export const DEMO_VIEWED_RUNS = 24;
const DAY_MS = 86_400_000;

/** A version-4-shaped UUID from the demo's generator: the same views for the same seed and day, so a rewrite counts nothing twice. */
function uuidFrom(r: Random): string {
  return `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-${'89ab'[r.int(0, 3)]}${r.hex(3)}-${r.hex(12)}`;
}

/**
 * Made-up detail views of `DEMO_VIEWED_RUNS` current runs over the 7 days before `now`, with a long
 * tail (the first run about 180 views, the last about 15), oldest first. Anonymous, marked by
 * `DEMO_VIEW_DEVICE`; the same for the same runs, seed and instant.
 */
export function syntheticViews(runs: readonly Performance[], opts: { now: Date; seed: number }): LoggedEvent[] {
  const r = createRandom(opts.seed ^ 0x5eed);
  const today = kstDate(opts.now);
  const viewed = r.distinct(
    runs.filter((run) => isCurrent(run, today)),
    DEMO_VIEWED_RUNS,
  );
  const events: { at: number; event: Omit<LoggedEvent, 'timestamp'> }[] = [];
  viewed.forEach((run, rank) => {
    const views = Math.round(180 / (rank + 1) ** 0.8) + r.int(0, 6);
    for (let i = 0; i < views; i += 1) {
      events.push({
        at: opts.now.getTime() - r.int(0, 7 * DAY_MS - 1),
        event: {
          event_id: uuidFrom(r),
          topic: 'View_detail_log',
          action: 'view_detail',
          user_id: 'anonymous',
          device: DEMO_VIEW_DEVICE,
          ticket_id: run._id,
          title: run.title,
          category: run.category,
        },
      });
    }
  });
  events.sort((a, b) => a.at - b.at);
  return events.map(({ at, event }) => ({ ...event, timestamp: kstTimestamp(new Date(at)) }) as LoggedEvent);
}

/** Writes the synthetic views as one lake file of `View_detail_log`; returns its key and size. */
export async function writeSyntheticViews(lake: Lake, events: readonly LoggedEvent[]): Promise<{ key: string; views: number }> {
  const key = await putEventFile(
    lake,
    { topic: 'View_detail_log', source: DEMO_VIEW_SOURCE, partition: 0, firstOffset: 0, firstTimestamp: events[0]!.timestamp },
    events,
  );
  return { key, views: events.length };
}
