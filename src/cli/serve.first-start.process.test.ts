import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../test-support/browser.js';
import { buildDist, type ServerProcess, startServerProcess } from '../test-support/server-process.js';
import { until } from '../test-support/until.js';

// Late on a Sunday: the hardest day for "this weekend" (only today is left of it).
const NOW = '2026-11-29T21:00:00+09:00';
/** "Within seconds" on a shared, loaded 2-core machine: the measured time is printed. */
const POPULAR_WITHIN_MS = 20_000;

interface Item {
  id: string;
  category: string;
  poster_url: string | null;
  end_date: string;
}

/** What the check uses of the browser page's globals. */
interface BrowserGlobals {
  Image: new () => { naturalWidth: number; naturalHeight: number; src: string; onload: () => void; onerror: () => void };
  document: {
    createElement(tag: 'canvas'): {
      width: number;
      height: number;
      getContext(kind: '2d'): {
        drawImage(img: unknown, x: number, y: number): void;
        getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
      } | null;
    };
  };
}

/** The original frontend's "this weekend" tabs and the categories each shows. */
const TABS: Record<string, readonly string[]> = {
  콘서트: ['콘서트'],
  '뮤지컬/연극': ['뮤지컬', '연극', '뮤지컬/연극'],
  '전시/행사': ['전시/행사'],
};

describe('a first start as `npm start` runs it (demo, sink and schedules at their defaults)', () => {
  let server: ServerProcess;
  let spawnedAt: number;
  let readyAt: number;
  let port: string;
  const json = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${server.url}${path}`);
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    buildDist();
    spawnedAt = performance.now();
    // Only what the test harness always sets (data dir, host, port); everything else at its default.
    server = await startServerProcess({ TICKETMOA_NOW: NOW });
    readyAt = performance.now();
    port = new URL(server.url).port;
  }, 90_000);
  afterAll(() => server?.stop());

  it('when the service has just started, then 주간 베스트 (/popular) fills within seconds from the marked demo view log', async () => {
    await until('/popular is not empty', async () => (await json<Item[]>('/popular')).length > 0, POPULAR_WITHIN_MS).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${server.output().slice(-3000)}`);
    });
    const now = performance.now();
    console.info(
      `first start: /popular answered runs ${Math.round(now - spawnedAt)} ms after the process was spawned, ` +
        `${Math.round(now - readyAt)} ms after /healthz first answered`,
    );
    expect(await json<Item[]>('/popular')).toHaveLength(8);
    expect(await json<Item[]>('/popular?window=7d')).toHaveLength(8);
    expect(server.output()).toMatch(/wrote a synthetic view log of the demo/);
    // counted before the API listened: full from the first request
    expect(server.output()).toMatch(/popular job ran on the demo view log/);
  });

  it('when the home page asks for this weekend, then each of its three tabs has runs playing today', async () => {
    const items = await json<Item[]>('/this_weekend');
    for (const [tab, categories] of Object.entries(TABS)) {
      expect(
        items.filter((i) => categories.includes(i.category) && (i.end_date === '상시공연' || i.end_date >= '2026.11.29')).length,
        tab,
      ).toBeGreaterThanOrEqual(4);
    }
  });

  it('when every demo run is listed, then each has a poster URL on PUBLIC_URL (default localhost:PORT) that serves an SVG', async () => {
    const runs = await json<Item[]>('/search');
    expect(runs).toHaveLength(500);
    const began = performance.now();
    for (let i = 0; i < runs.length; i += 20) {
      await Promise.all(
        runs.slice(i, i + 20).map(async (run) => {
          const url = new URL(run.poster_url!);
          expect(`${url.origin}${url.pathname}`).toBe(`http://localhost:${port}/posters/${run.id}`);
          // the same path on the address this process listens on (127.0.0.1 only)
          const res = await fetch(`${server.url}${url.pathname}${url.search}`);
          expect(res.status).toBe(200);
          expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
          expect(res.headers.get('cache-control')).toContain('immutable');
          await res.arrayBuffer();
        }),
      );
    }
    console.info(`first start: fetched 500 posters in ${Math.round(performance.now() - began)} ms (20 at a time)`);
  });

  describe.runIf(chromiumAvailable())('in Chromium', () => {
    it("when the home page's lists are shown, then every poster they name loads and renders as a 300 × 420 image", async () => {
      const lists = ['/this_weekend', '/banner', '/popular', '/exclusive/all'];
      const urls = new Set<string>();
      for (const list of lists) for (const item of await json<Item[]>(list)) if (item.poster_url) urls.add(item.poster_url);
      for (const group of await json<{ items: Item[] }[]>('/exclusive/main')) for (const item of group.items) urls.add(item.poster_url!);
      expect(urls.size).toBeGreaterThan(50);

      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        // same origin as the poster URLs, so the test may read the drawn pixels back
        await page.goto(`http://localhost:${port}/healthz`);
        const results = await page.evaluate(
          async (sources) => {
            // the page's DOM, typed here as far as it is used (the project compiles without the DOM library)
            const { Image, document } = globalThis as unknown as BrowserGlobals;
            const load = (src: string) =>
              new Promise<{ src: string; ok: boolean; width: number; height: number; pixels: number[][] }>((resolve) => {
                const img = new Image();
                img.onload = () => {
                  const canvas = document.createElement('canvas');
                  canvas.width = img.naturalWidth;
                  canvas.height = img.naturalHeight;
                  const ctx = canvas.getContext('2d')!;
                  ctx.drawImage(img, 0, 0);
                  const at = (x: number, y: number) => [...ctx.getImageData(x, y, 1, 1).data];
                  resolve({ src, ok: true, width: img.naturalWidth, height: img.naturalHeight, pixels: [at(5, 5), at(295, 415), at(150, 210)] });
                };
                img.onerror = () => resolve({ src, ok: false, width: 0, height: 0, pixels: [] });
                img.src = src;
              });
            return Promise.all(sources.map(load));
          },
          [...urls],
        );
        for (const r of results) {
          expect(r, r.src).toMatchObject({ ok: true, width: 300, height: 420 });
          // drawn, opaque, and not a blank page: the background gradient differs from corner to corner
          for (const [, , , alpha] of r.pixels) expect(alpha, r.src).toBe(255);
          expect(r.pixels[0], r.src).not.toEqual(r.pixels[1]);
        }
      } finally {
        await browser.close();
      }
    }, 60_000);
  });
});
