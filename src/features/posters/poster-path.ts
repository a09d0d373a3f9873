import { OWN_POSTER_PREFIX } from '../catalog/index.js';

/** Where the service serves a run's poster; stored relative (`/posters/{id}`) and made absolute when served. */
export const POSTER_PATH_PREFIX = OWN_POSTER_PREFIX;

export function posterPath(id: string): string {
  return `${POSTER_PATH_PREFIX}${id}`;
}
