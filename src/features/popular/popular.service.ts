import { unprocessable } from '../../platform/errors.js';
import type { CatalogReader } from '../catalog/index.js';
import type { PopularStore } from './popular.store.js';
import { ALL_TIME, WINDOW_NAMES } from './popular.windows.js';

export const POPULAR_SIZE = 8;

export { ALL_TIME };

/** The trending window the catalogue's home lists rank by. */
const LAST_7_DAYS = '7d';

/**
 * Views per run on the last 7 KST days, from the stored trending ranking (the top runs the
 * popular job keeps; runs outside it count as unviewed). A plain function so that the
 * composition root can hand it to the catalogue without the catalogue knowing this feature.
 */
export function viewsLast7Days(store: Pick<PopularStore, 'ranking'>): () => Promise<ReadonlyMap<string, number>> {
  return async () => new Map((await store.ranking(LAST_7_DAYS)).map((r) => [r.ticket_id, r.views]));
}

export class PopularService {
  constructor(private readonly deps: { store: PopularStore; catalog: Pick<CatalogReader, 'listOf'> }) {}

  /** Up to 8 current runs, most viewed first (in `window`, default all time), as a JSON list. */
  async popular(window: string | undefined = ALL_TIME): Promise<Buffer> {
    const name = window === '' ? ALL_TIME : window;
    if (!WINDOW_NAMES.includes(name)) throw unprocessable({ field: 'querystring.window', message: `must be one of ${WINDOW_NAMES.join(', ')}` });
    const ranking = await this.deps.store.ranking(name);
    return this.deps.catalog.listOf(
      ranking.map((r) => r.ticket_id),
      { onlyCurrent: true, limit: POPULAR_SIZE },
    );
  }
}
