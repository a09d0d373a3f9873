import type { CatalogService } from '../catalog/catalog.service.js';
import type { PopularStore } from './popular.store.js';

export const POPULAR_SIZE = 8;

/** The all-time ranking computed by the popular job. */
export const ALL_TIME = 'all';

export class PopularService {
  constructor(private readonly deps: { store: PopularStore; catalog: CatalogService }) {}

  /** Up to 8 current runs, most viewed first, as a JSON list. */
  async popular(window: string = ALL_TIME): Promise<Buffer> {
    const ranking = await this.deps.store.ranking(window);
    return this.deps.catalog.listOf(
      ranking.map((r) => r.ticket_id),
      { onlyCurrent: true, limit: POPULAR_SIZE },
    );
  }
}
