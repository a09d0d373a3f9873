import { badRequest, notFound } from '../../platform/errors.js';
import { OBJECT_ID } from '../../platform/ids.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { RecommendationStore } from './recommendation.store.js';

export const RECOMMENDATION_SIZE = 3;

export class RecommendationService {
  constructor(private readonly deps: { store: RecommendationStore; catalog: CatalogService }) {}

  /** Up to 3 similar runs as a JSON list; 404 for an unknown run. */
  async similarTo(id: string): Promise<Buffer> {
    if (!OBJECT_ID.test(id)) throw badRequest('id must be 24 lowercase hexadecimal characters');
    if (!this.deps.catalog.has(id)) throw notFound('performance not found');
    const ids = (await this.deps.store.get(id)) ?? [];
    return this.deps.catalog.listOf(ids, { limit: RECOMMENDATION_SIZE });
  }
}
