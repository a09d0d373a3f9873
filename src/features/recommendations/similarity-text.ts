import type { RunText } from '../catalog/index.js';
import type { SimilarityDoc } from './similarity-engine.js';

/** The text compared between runs: description, title, artist names and category. */
export function similarityDoc(run: RunText): SimilarityDoc {
  const parts = [run.description ?? '', run.title, run.artistNames.join(' '), run.category ?? ''];
  return { id: run.id, region: run.region, start_date: run.start_date, text: parts.join(' ') };
}
