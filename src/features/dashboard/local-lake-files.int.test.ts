import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLake, type Lake } from '../../pipeline/index.js';
import { createCachedLakeFiles, createDirectLakeFiles } from './local-lake-files.js';

const key = (topic: string, n: number) => `logs/${topic}/20261125T100000.000-src-p0-o${String(n).padStart(12, '0')}.parquet`;
const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill);

describe('the local copy of an S3 lake', () => {
  let dir: string;
  let lake: Lake;
  let gets: string[];

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-cache-'));
    const inner = createMemoryLake();
    gets = [];
    lake = { ...inner, get: (k) => (gets.push(k), inner.get(k)) };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when files are asked for twice, then each is downloaded once and read locally', async () => {
    await lake.put(key('Search_log', 1), bytes(100));
    await lake.put(key('View_detail_log', 1), bytes(100));
    const cache = createCachedLakeFiles({ lake, dir, maxBytes: 1000 });
    const first = await cache.filesOf(['Search_log']);
    expect(first.get('Search_log')).toEqual([path.join(dir, 'logs', 'Search_log', path.basename(key('Search_log', 1)))]);
    expect(existsSync(first.get('Search_log')![0]!)).toBe(true);
    await cache.filesOf(['Search_log']);
    expect(gets).toEqual([key('Search_log', 1)]); // the view log was not needed, the search log not fetched again
  });

  it('when a file is rewritten with another size, then the copy is fetched again', async () => {
    await lake.put(key('Search_log', 1), bytes(100));
    const cache = createCachedLakeFiles({ lake, dir, maxBytes: 1000 });
    await cache.filesOf(['Search_log']);
    await lake.put(key('Search_log', 1), bytes(120));
    await cache.filesOf(['Search_log']);
    expect(gets).toHaveLength(2);
    expect(cache.usedBytes()).toBe(120);
  });

  it('when the copies would outgrow the budget, then the least recently needed go first', async () => {
    for (const topic of ['Search_log', 'View_detail_log', 'Signup_log']) await lake.put(key(topic, 1), bytes(400));
    const cache = createCachedLakeFiles({ lake, dir, maxBytes: 1000 });
    await cache.filesOf(['Search_log']);
    await cache.filesOf(['View_detail_log']);
    await cache.filesOf(['Signup_log']); // 1200 bytes would not fit: the search log's copy goes
    expect(cache.usedBytes()).toBe(800);
    expect(readdirSync(path.join(dir, 'logs', 'Search_log'))).toEqual([]);
    expect(readdirSync(path.join(dir, 'logs', 'View_detail_log'))).toHaveLength(1);
  });

  it('when one request needs more than the budget, then it is refused with the setting to raise', async () => {
    await lake.put(key('Search_log', 1), bytes(600));
    await lake.put(key('Search_log', 2), bytes(600));
    const cache = createCachedLakeFiles({ lake, dir, maxBytes: 1000 });
    await expect(cache.filesOf(['Search_log'])).rejects.toMatchObject({
      reason: 'cache-too-small',
      message: expect.stringContaining('ADMIN_LAKE_CACHE_MB'),
    });
    expect(gets).toEqual([]);
  });

  it('when a new process starts on an old cache folder, then its copies count and strays are removed', async () => {
    await lake.put(key('Search_log', 1), bytes(100));
    await createCachedLakeFiles({ lake, dir, maxBytes: 1000 }).filesOf(['Search_log']);
    mkdirSync(path.join(dir, 'stray'));
    writeFileSync(path.join(dir, 'stray', 'x.tmp'), 'x');
    const again = createCachedLakeFiles({ lake, dir, maxBytes: 1000 });
    await again.filesOf(['Search_log']);
    expect(gets).toHaveLength(1);
    expect(again.usedBytes()).toBe(100);
    expect(existsSync(path.join(dir, 'stray', 'x.tmp'))).toBe(false);
  });

  describe('when the listing holds keys that would name files outside the folder', () => {
    /** Each, joined to `<parent>/lake-cache`, names `<parent>/victim.parquet` or another path outside the folder. */
    const ESCAPING = [
      'logs/Search_log/../../../victim.parquet',
      'logs/Search_log/./../../../victim.parquet',
      'logs/Search_log/..\\..\\..\\victim.parquet',
      'logs/Search_log//victim.parquet',
      'logs/Search_log/a\u0000.parquet',
    ];
    let parent: string;
    let cacheDir: string;
    let victim: string;
    let warned: string[];

    beforeEach(() => {
      parent = mkdtempSync(path.join(tmpdir(), 'ticketmoa-parent-'));
      cacheDir = path.join(parent, 'lake-cache');
      victim = path.join(parent, 'victim.parquet');
      writeFileSync(victim, 'an operator file');
      warned = [];
    });
    afterEach(() => rmSync(parent, { recursive: true, force: true }));

    it('then the copy never writes or deletes outside it, and each such key is reported once', async () => {
      await lake.put(key('Search_log', 1), bytes(100));
      for (const k of ESCAPING) await lake.put(k, bytes(300, 7));
      await lake.put(key('View_detail_log', 1), bytes(700));
      const cache = createCachedLakeFiles({ lake, dir: cacheDir, maxBytes: 1000, onUnsafeKey: (k) => warned.push(k) });
      const files = await cache.filesOf(['Search_log']);
      expect(files.get('Search_log')).toEqual([path.join(cacheDir, 'logs', 'Search_log', path.basename(key('Search_log', 1)))]);
      // the view log needs the room: every copy of the search log is evicted
      await cache.filesOf(['View_detail_log']);
      await cache.filesOf(['Search_log']);
      expect(readFileSync(victim, 'utf8')).toBe('an operator file');
      expect(readdirSync(parent).sort()).toEqual(['lake-cache', 'victim.parquet']);
      expect(gets.filter((k) => ESCAPING.includes(k))).toEqual([]);
      expect(warned.sort()).toEqual([...ESCAPING].sort());
    });

    it('then a lake read in place leaves them out', async () => {
      await lake.put(key('Search_log', 1), bytes(100));
      for (const k of ESCAPING) await lake.put(k, bytes(300, 7));
      const direct = createDirectLakeFiles(lake, cacheDir, (k) => warned.push(k));
      expect((await direct.filesOf(['Search_log'])).get('Search_log')).toEqual([
        path.join(cacheDir, 'logs', 'Search_log', path.basename(key('Search_log', 1))),
      ]);
      expect(warned.sort()).toEqual([...ESCAPING].sort());
    });
  });
});
