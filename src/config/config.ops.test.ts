import { describe, expect, it } from 'vitest';
import { logsArePretty } from '../platform/logger.js';
import { ConfigError, loadConfig, metricsWarning } from './config.js';

const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) };

describe('metrics and log settings', () => {
  it('when METRICS_PORT is unset, then /metrics answers on the API port', () => {
    expect(loadConfig({}).metrics).toEqual({ on: 'api' });
  });

  it('when METRICS_PORT is a port, then metrics get a listener of their own, on HOST unless METRICS_HOST says otherwise', () => {
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ on: 'port', port: 9464, host: '0.0.0.0' });
    expect(loadConfig({ METRICS_PORT: '9464', HOST: '127.0.0.1' }).metrics).toEqual({ on: 'port', port: 9464, host: '127.0.0.1' });
    expect(loadConfig({ METRICS_PORT: '9100', METRICS_HOST: '10.0.0.5' }).metrics).toEqual({ on: 'port', port: 9100, host: '10.0.0.5' });
  });

  it('when METRICS_PORT is off, then there are no metrics', () => {
    expect(loadConfig({ METRICS_PORT: 'off' }).metrics).toEqual({ on: 'off' });
    expect(loadConfig({ METRICS_PORT: 'OFF' }).metrics).toEqual({ on: 'off' });
  });

  it('when METRICS_PORT or LOG_FORMAT is not valid, then the configuration names it', () => {
    expect(() => loadConfig({ METRICS_PORT: 'prometheus' })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT must be an integer/);
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT must be one of auto, json, pretty/);
  });

  it('when production serves /metrics on the API port, then the start-up warns, and not once it has a port of its own', () => {
    expect(metricsWarning(loadConfig(PRODUCTION))).toMatch(/set METRICS_PORT/);
    expect(metricsWarning(loadConfig({ ...PRODUCTION, METRICS_PORT: '9464' }))).toBeUndefined();
    expect(metricsWarning(loadConfig({ ...PRODUCTION, METRICS_PORT: 'off' }))).toBeUndefined();
    expect(metricsWarning(loadConfig({}))).toBeUndefined();
  });

  it('when logs go to a terminal, then they are readable text; to a pipe or file, JSON; LOG_FORMAT overrides both', () => {
    expect(loadConfig({}).logFormat).toBe('auto');
    expect(logsArePretty('auto', true)).toBe(true);
    expect(logsArePretty('auto', false)).toBe(false);
    expect(logsArePretty('json', true)).toBe(false);
    expect(logsArePretty('pretty', false)).toBe(true);
  });
});
