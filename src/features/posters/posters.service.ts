import { badRequest } from '../../platform/errors.js';
import { OBJECT_ID } from '../../platform/ids.js';
import type { CatalogReader } from '../catalog/index.js';
import { renderPosterSvg } from './poster-svg.js';
import { posterVersion } from './poster-url.js';

export interface Poster {
  svg: string;
  /** Changes with what the poster shows (see posterVersion). */
  version: string;
  etag: string;
}

/** Draws the poster of any run the catalogue holds, from the summary kept in memory (no database read). */
export class PosterService {
  constructor(private readonly deps: { catalog: Pick<CatalogReader, 'summaryOf'> }) {}

  /** The run's poster, or undefined when there is no such run. */
  poster(id: string): Poster | undefined {
    if (!OBJECT_ID.test(id)) throw badRequest('id must be 24 lowercase hexadecimal characters');
    const run = this.deps.catalog.summaryOf(id);
    if (run === undefined) return undefined;
    const version = posterVersion(run);
    return { svg: renderPosterSvg(run), version, etag: `"${version}"` };
  }
}
