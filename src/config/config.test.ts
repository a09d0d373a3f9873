import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, trustProxyWarning } from './config.js';

describe('configuration', () => {
  it('when nothing is set, then it serves on 8000 with SQLite in ./data and the demo on', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c.port).toBe(8000);
    expect(c.dataDir).toBe('/srv/app/data');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.demo).toBe(true);
    expect(c.now).toBeUndefined();
    expect(c.corsOrigins).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000']);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('when TICKETMOA_NOW is an ISO instant, then the clock is fixed there', () => {
    expect(loadConfig({ TICKETMOA_NOW: '2026-11-27T10:00:00+09:00' }).now?.toISOString()).toBe('2026-11-27T01:00:00.000Z');
  });

  it('when TICKETMOA_NOW is set with NODE_ENV=production, then the configuration is refused with a message saying so', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig(production).now).toBeUndefined();
    expect(() => loadConfig({ ...production, TICKETMOA_NOW: '2026-11-27T10:00:00+09:00' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production, TICKETMOA_NOW: '2026-11-27T10:00:00+09:00' })).toThrow(
      /TICKETMOA_NOW .* is refused with NODE_ENV=production/,
    );
    expect(loadConfig({ NODE_ENV: 'test', TICKETMOA_NOW: '2026-11-27T10:00:00+09:00' }).now).toBeDefined();
  });

  it('when several values are bad, then every problem is named at once', () => {
    try {
      loadConfig({ PORT: 'eighty', TICKETMOA_NOW: 'tomorrow', TICKETMOA_DEMO: 'maybe', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      for (const name of ['PORT', 'TICKETMOA_NOW', 'TICKETMOA_DEMO', 'LOG_LEVEL', 'DATABASE_URL']) expect(message).toContain(name);
    }
  });

  it('reads CORS_ORIGINS as a comma-separated list', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://ticketmoa.kr, https://www.ticketmoa.kr' }).corsOrigins).toEqual([
      'https://ticketmoa.kr',
      'https://www.ticketmoa.kr',
    ]);
  });

  it('when DATABASE_URL names PostgreSQL, then it is kept with a pool of 10 unless DATABASE_POOL_MAX says otherwise', () => {
    const url = 'postgres://ticketmoa@db.internal:5432/ticketmoa';
    expect(loadConfig({ DATABASE_URL: url })).toMatchObject({ databaseUrl: url, databasePoolMax: 10 });
    expect(loadConfig({ DATABASE_URL: url, DATABASE_POOL_MAX: '40' }).databasePoolMax).toBe(40);
    expect(() => loadConfig({ DATABASE_POOL_MAX: '0' })).toThrow(/DATABASE_POOL_MAX must be an integer from 1/);
  });

  it('when nothing is set, then sessions live at most 30 days, a refresh race has 10 s of grace, and login failures are limited per (id, client), client and id', () => {
    expect(loadConfig({}).auth).toMatchObject({
      refreshReuseGraceSeconds: 10,
      sessionAbsoluteLifetimeSeconds: 30 * 24 * 60 * 60,
      loginFailureLimit: 5,
      loginClientFailureLimit: 50,
      loginIdFailureLimit: 100,
      loginFailureWindowSeconds: 900,
    });
    expect(() => loadConfig({ LOGIN_FAILURE_LIMIT: '10', LOGIN_ID_FAILURE_LIMIT: '5' })).toThrow(/LOGIN_ID_FAILURE_LIMIT/);
  });

  it('reads TRUST_PROXY as off, a hop count, a list of proxy addresses and CIDRs, or true (with a warning)', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.1, 2001:db8::/32, loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.0.2.1',
      '2001:db8::/32',
      'loopback',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33, proxy.internal' })).toThrow(/TRUST_PROXY.*10\.0\.0\.0\/33, proxy\.internal/);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(trustProxyWarning(true)).toMatch(/left-most X-Forwarded-For/);
    for (const v of [false, 1, ['10.0.0.1']] as const) expect(trustProxyWarning(v)).toBeUndefined();
  });

  it('when PUBLIC_URL is unset, then poster URLs are built on localhost and the port; when set, on it (without a trailing slash)', () => {
    expect(loadConfig({}).publicUrl).toBe('http://localhost:8000');
    expect(loadConfig({ PORT: '9000' }).publicUrl).toBe('http://localhost:9000');
    expect(loadConfig({ PUBLIC_URL: 'https://tickets.example.com/moa/' }).publicUrl).toBe('https://tickets.example.com/moa');
  });

  it('when PUBLIC_URL is not an http(s) address without query or credentials, then the configuration is refused naming it', () => {
    for (const bad of ['tickets.example.com', 'ftp://tickets.example.com', 'https://tickets.example.com/?a=1', 'https://u:p@tickets.example.com']) {
      expect(() => loadConfig({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL/);
    }
  });
});
