export { posterPath, POSTER_PATH_PREFIX } from './poster-path.js';
export { posterUrls, posterVersion } from './poster-url.js';
export { PosterService, type Poster } from './posters.service.js';
export { posterRoutes } from './posters.routes.js';
export { POSTER_HEIGHT, POSTER_WIDTH } from './poster-svg.js';
