import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('admin dashboard settings', () => {
  it('when nothing is set, then queries get 20 s, answers live a minute and the S3 copy up to 1 GiB in the data dir', () => {
    expect(loadConfig({ TICKETMOA_DATA_DIR: '/srv/moa' }, '/').dashboard).toEqual({
      queryTimeoutMs: 20_000,
      cacheMs: 60_000,
      lakeCacheDir: '/srv/moa/lake-cache',
      lakeCacheBytes: 1024 * 1024 * 1024,
    });
  });

  it('when values are given, then they are read; out of range ones stop the start naming the setting', () => {
    const c = loadConfig({ ADMIN_QUERY_TIMEOUT_MS: '5000', ADMIN_CACHE_SECONDS: '0', ADMIN_LAKE_CACHE_MB: '64' }, '/srv').dashboard;
    expect([c.queryTimeoutMs, c.cacheMs, c.lakeCacheBytes]).toEqual([5000, 0, 64 * 1024 * 1024]);
    expect(() => loadConfig({ ADMIN_LAKE_CACHE_MB: '1' }, '/srv')).toThrow(/ADMIN_LAKE_CACHE_MB/);
    expect(() => loadConfig({ ADMIN_QUERY_TIMEOUT_MS: 'soon' }, '/srv')).toThrow(/ADMIN_QUERY_TIMEOUT_MS/);
  });
});
