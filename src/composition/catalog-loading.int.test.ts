import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createImportCommand, type CommandIo } from '../cli/import.js';
import { revokeAdminCommand } from '../cli/grant-admin.js';
import { recommendCommand } from '../cli/recommend.js';
import { repairLakeCommand } from '../cli/repair-lake.js';
import { createSeedCommand } from '../cli/seed.js';
import { loadConfig, type Config } from '../config/config.js';
import { createContainer, type Container } from '../container.js';
import { type Database, openDatabase, sqliteFileOf } from '../databases.js';
import { openSqlite } from '../db/sqlite/connection.js';
import type { PerformanceStore } from '../features/catalog/catalog.store.js';
import { systemClock } from '../platform/clock.js';
import { loggerOptions } from '../platform/logger.js';
import { repairLake } from '../pipeline/sink/repair.js';
import { makeRun } from '../test-support/runs.js';

const NOW = '2026-11-27T12:00:00+09:00';
const ENV = { LOG_LEVEL: 'silent', TICKETMOA_DEMO: '0', TICKETMOA_NOW: NOW };

/** The real store, with every full read of the catalogue counted. */
function countingReads(store: PerformanceStore): { store: PerformanceStore; reads: () => number } {
  let reads = 0;
  return {
    store: {
      ...store,
      summaries: () => {
        reads += 1;
        return store.summaries();
      },
    },
    reads: () => reads,
  };
}

describe('when the in-memory catalogue is loaded', () => {
  let dataDir: string;
  let config: Config;
  let database: Database;
  let container: Container | undefined;
  const runs = [makeRun({ title: '쇼팽 리사이틀' }), makeRun({ title: '록 페스티벌' })];

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-catalog-loading-'));
    config = loadConfig({ TICKETMOA_DATA_DIR: dataDir, ...ENV });
    database = await openDatabase(config, systemClock);
    await database.stores.performances.upsertMany(runs);
  });

  afterEach(async () => {
    await container?.close();
    container = undefined;
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when a container runs the sink, imports, changes accounts and repairs the lake, then the catalogue is never read', async () => {
    const watched = countingReads(database.stores.performances);
    container = await createContainer(config, { stores: { performances: watched.store } });
    const sink = await container.pipeline.startSink();
    await sink.stop();
    await container.importService.apply([makeRun({ title: '새 공연' })]);
    expect(await container.accounts.setAdmin('nobody', true)).toBe(false);
    await repairLake(container.lake, { dryRun: true });
    expect(await container.jobs.recommend.run()).toMatchObject({ status: 'ran' });
    expect(watched.reads()).toBe(0);
    expect(container.catalog.size()).toBe(0);
  });

  it('when the HTTP app is built (serve), then the catalogue is loaded before the app exists, once', async () => {
    const watched = countingReads(database.stores.performances);
    container = await createContainer(config, { stores: { performances: watched.store } });
    expect(watched.reads()).toBe(0);
    const app = await container.buildHttp();
    try {
      expect(watched.reads()).toBe(1);
      expect(container.catalog.size()).toBe(runs.length);
      expect((await app.inject({ url: '/healthz' })).json()).toMatchObject({ runs: runs.length });
      await container.catalogReady();
      expect(watched.reads()).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('when the popular job ranks, then it loads the catalogue itself', async () => {
    const watched = countingReads(database.stores.performances);
    container = await createContainer(config, { stores: { performances: watched.store } });
    expect(await container.jobs.popular.run()).toMatchObject({ status: 'ran' });
    expect(watched.reads()).toBe(1);
    expect(container.catalog.size()).toBe(runs.length);
  });

  it('when the first load fails, then building the app fails with it and the next attempt reads again', async () => {
    let fail = true;
    const store = database.stores.performances;
    const flaky: PerformanceStore = {
      ...store,
      summaries: async () => {
        if (fail) throw new Error('catalogue unreadable');
        return store.summaries();
      },
    };
    container = await createContainer(config, { stores: { performances: flaky } });
    await expect(container.buildHttp()).rejects.toThrow('catalogue unreadable');
    fail = false;
    await container.catalogReady();
    expect(container.catalog.size()).toBe(runs.length);
  });
});

describe('commands on a database whose catalogue cannot be loaded', () => {
  let dataDir: string;
  let out: string[];
  let err: string[];
  const io = (): CommandIo => ({
    stdin: process.stdin,
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
  });

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-catalog-loading-'));
    vi.stubEnv('DATABASE_URL', '');
    vi.stubEnv('TICKETMOA_DATA_DIR', dataDir);
    for (const [k, v] of Object.entries(ENV)) vi.stubEnv(k, v);
    const config = loadConfig({ TICKETMOA_DATA_DIR: dataDir, ...ENV });
    const db = openSqlite(sqliteFileOf(config));
    const database = await openDatabase(config, systemClock);
    await database.stores.performances.upsertMany([makeRun({ title: '망가진 요약' })]);
    await database.close();
    // A summary no reader can parse: loading the catalogue fails, nothing else reads it.
    db.prepare("UPDATE performances SET summary = '{not json'").run();
    db.close();
    out = [];
    err = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => out.push(String(s)) > 0);
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => err.push(String(s)) > 0);
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('when serve would build its app, then it fails on the catalogue (the check that the data is broken)', async () => {
    const container = await createContainer(loadConfig({ TICKETMOA_DATA_DIR: dataDir, ...ENV }));
    try {
      await expect(container.buildHttp()).rejects.toThrow(SyntaxError);
    } finally {
      await container.close();
    }
  });

  it('when revoke-admin, seed, import, recommend and repair-lake run, then each starts and finishes', async () => {
    expect(await revokeAdminCommand.run(['nobody'], { parseArgs })).toBe(1);
    expect(err.join('')).toContain('no account with id "nobody"');
    expect(await createSeedCommand(io()).run(['--count', '3'], { parseArgs })).toBe(0);
    expect(out.join('')).toContain('inserted 3');
    const file = path.join(dataDir, 'runs.json');
    writeFileSync(file, JSON.stringify([makeRun({ title: '불러온 공연' })]));
    expect(await createImportCommand(io()).run([file], { parseArgs })).toBe(0);
    expect(out.join('')).toContain(`${file}: read 1, inserted 1`);
    expect(await recommendCommand.run([], { parseArgs })).toBe(0);
    expect(await repairLakeCommand.run([], { parseArgs })).toBe(0);
    expect(out.join('')).toContain('repair-lake: 0 files checked');
  });
});

describe('the one logger', () => {
  it('when Fastify logs, then it writes through the container logger with its redaction, and requests stay unlogged at info', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-catalog-loading-'));
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const log = pino(loggerOptions('info'), sink);
    const container = await createContainer(loadConfig({ TICKETMOA_DATA_DIR: dataDir, ...ENV, LOG_LEVEL: 'info' }), {
      log,
    });
    const app = await container.buildHttp();
    try {
      expect(container.log).toBe(log);
      app.log.info({ body: { password: 'hunter2' } }, 'from fastify');
      await app.inject({ url: '/healthz' });
      await vi.waitFor(() => expect(lines.some((l) => l.msg === 'from fastify')).toBe(true));
      expect(lines.find((l) => l.msg === 'from fastify')).toMatchObject({ body: { password: '[redacted]' } });
      expect(lines.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed')).toEqual([]);
    } finally {
      await app.close();
      await container.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
