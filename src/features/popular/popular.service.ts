import { unprocessable } from '../../platform/errors.js';
import type { CatalogReader } from '../catalog/index.js';
import type { PopularStore } from './popular.store.js';
import { ALL_TIME, WINDOW_NAMES } from './popular.windows.js';

export const POPULAR_SIZE = 8;

export { ALL_TIME };

export class PopularService {
  constructor(private readonly deps: { store: PopularStore; catalog: Pick<CatalogReader, 'listOf'> }) {}

  /** Up to 8 current runs, most viewed first (in `window`, default all time), as a JSON list. */
  async popular(window: string | undefined = ALL_TIME): Promise<Buffer> {
    const name = window === '' ? ALL_TIME : window;
    if (!WINDOW_NAMES.includes(name)) throw unprocessable(`window must be one of ${WINDOW_NAMES.join(', ')}`);
    const ranking = await this.deps.store.ranking(name);
    return this.deps.catalog.listOf(
      ranking.map((r) => r.ticket_id),
      { onlyCurrent: true, limit: POPULAR_SIZE },
    );
  }
}
