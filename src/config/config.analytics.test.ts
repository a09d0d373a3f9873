import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('analytics schedule settings', () => {
  it('when nothing is set, then popular runs hourly and recommendations daily', () => {
    const config = loadConfig({}, '/srv');
    expect(config.popularIntervalMs).toBe(3_600_000);
    expect(config.recommendIntervalMs).toBe(86_400_000);
  });

  it('when durations are given with units or turned off, then they are read as milliseconds', () => {
    const config = loadConfig({ POPULAR_INTERVAL: '15m', RECOMMEND_INTERVAL: 'off' }, '/srv');
    expect(config.popularIntervalMs).toBe(900_000);
    expect(config.recommendIntervalMs).toBe(0);
    expect(loadConfig({ RECOMMEND_INTERVAL: '12h' }, '/srv').recommendIntervalMs).toBe(43_200_000);
  });

  it('when a duration is not understood or too short, then startup fails naming the setting', () => {
    expect(() => loadConfig({ POPULAR_INTERVAL: 'hourly' }, '/srv')).toThrow(ConfigError);
    expect(() => loadConfig({ RECOMMEND_INTERVAL: '1s' }, '/srv')).toThrow(/RECOMMEND_INTERVAL/);
  });
});
