import { generateCatalogue } from '../ingest/index.js';
import { searchDocOf } from './search-doc.js';
import type { SearchContext, SearchDoc, SearchParams } from './search-types.js';

/** The synthetic catalogue of `count` runs as search docs, with made-up but fixed popularity. */
export function seededDocs(count: number, today = '2026.12.03', seed = 7): SearchDoc[] {
  return generateCatalogue({ count, seed, today }).map((run, i) => searchDocOf(run, (i * 7919) % 97 === 0 ? 0 : ((i * 2654435761) >>> 0) % 500));
}

/** A Thursday: the weekend is the 5th and 6th. */
export const CONTEXT: SearchContext = { today: '2026.12.03', saturday: '2026.12.05', sunday: '2026.12.06', monthEnd: '2026.12.31' };

export const params = (q: string, more: Partial<SearchParams> = {}): SearchParams => ({
  q,
  categories: [],
  regions: [],
  vendors: [],
  onSale: false,
  sort: q.trim() === '' ? 'date' : 'relevance',
  page: 1,
  size: 20,
  ...more,
});
