/** The all-time ranking computed by the popular job (what the legacy `GET /popular` serves). */
export const ALL_TIME = 'all';

/** Trending windows: views on the last N KST days, today included. */
export const TRENDING_WINDOWS: Readonly<Record<string, number>> = Object.freeze({ '1d': 1, '7d': 7, '30d': 30 });

export const WINDOW_NAMES: readonly string[] = [ALL_TIME, ...Object.keys(TRENDING_WINDOWS)];
