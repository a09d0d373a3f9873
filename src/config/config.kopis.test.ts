import { describe, expect, it } from 'vitest';
import { ConfigError, kopisWarning, loadConfig } from './config.js';

describe('KOPIS settings', () => {
  it('when KOPIS_BASE_URL is not set, then the canonical host is reached over https', () => {
    expect(loadConfig({}, '/tmp').kopis.baseUrl).toBe('https://kopis.or.kr/openApi/restful');
  });

  it('when http:// is configured explicitly, then it is kept, and with a key a start-up warning says the key travels in clear', () => {
    const kopis = loadConfig({ KOPIS_BASE_URL: 'http://www.kopis.or.kr/openApi/restful/', KOPIS_SERVICE_KEY: 'k'.repeat(32) }, '/tmp').kopis;
    expect(kopis.baseUrl).toBe('http://www.kopis.or.kr/openApi/restful');
    expect(kopisWarning(kopis)).toMatch(/plain http .*unencrypted/);
    expect(kopisWarning(kopis)).not.toContain('k'.repeat(32));
  });

  it('when the base URL is https, a loopback fake, or no key is set, then there is nothing to warn about', () => {
    const key = { KOPIS_SERVICE_KEY: 'k'.repeat(32) };
    expect(kopisWarning(loadConfig(key, '/tmp').kopis)).toBeUndefined();
    expect(kopisWarning(loadConfig({ ...key, KOPIS_BASE_URL: 'http://127.0.0.1:9999/openApi/restful' }, '/tmp').kopis)).toBeUndefined();
    expect(kopisWarning(loadConfig({ KOPIS_BASE_URL: 'http://kopis.or.kr/openApi/restful' }, '/tmp').kopis)).toBeUndefined();
  });

  it('when KOPIS_BASE_URL is not http(s), then the configuration is refused', () => {
    expect(() => loadConfig({ KOPIS_BASE_URL: 'ftp://kopis.or.kr/openApi/restful' }, '/tmp')).toThrow(ConfigError);
  });
});
