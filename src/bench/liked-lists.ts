/**
 * What laying a caller's likes over the shared list bodies costs (ADR 14): finding a body's
 * slots once, and per request intersecting the liked set and splicing `true` in, for `/banner`
 * (11 items) and the whole 50,000-run catalogue (the unfiltered `/search`). Not part of
 * `npm run bench`: `npm run build && node dist/bench/liked-lists.js [count]`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CatalogService, createMemoryPerformanceStore } from '../features/catalog/index.js';
import { generateCatalogue } from '../features/ingest/index.js';
import { likedOffsets, LikedLists, likeSlots, likeSlotsInSlices, withLikes, withLikesInSlices } from '../http/liked-lists.js';
import { fixedClock } from '../platform/clock.js';
import type { JsonBody } from '../platform/json-body.js';
import { noEvents } from '../pipeline/index.js';

const count = Number(process.argv[2] ?? 50_000);
const today = '2026.11.27';

/** Median and best of `rounds` timings of `f`, in microseconds, each the mean over `inner` calls. */
function time(rounds: number, inner: number, f: () => unknown): { median: number; best: number } {
  const all: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const t = performance.now();
    for (let i = 0; i < inner; i += 1) f();
    all.push(((performance.now() - t) * 1000) / inner);
  }
  all.sort((a, b) => a - b);
  return { median: all[all.length >> 1]!, best: all[0]! };
}
const us = (t: { median: number; best: number }) => `${t.median.toFixed(1)} µs (best ${t.best.toFixed(1)})`;
const ms = (t: { median: number; best: number }) => `${(t.median / 1000).toFixed(2)} ms (best ${(t.best / 1000).toFixed(2)})`;

const store = createMemoryPerformanceStore();
await store.upsertMany(generateCatalogue({ count, seed: 42, today }));
const catalog = new CatalogService({ store, clock: fixedClock('2026-11-27T10:00:00+09:00'), events: noEvents });
await catalog.refresh();
const actor = { user_id: 'bench', device: '' };
const banner = await catalog.banner();
const whole = (await catalog.search({}, actor)).body;
const ids = catalog.allRuns().map((r) => r.id);
const pick = (n: number) => new Set(Array.from({ length: n }, (_, k) => ids[Math.floor((k * ids.length) / n)]!));

for (const [name, body] of [
  ['/banner', banner],
  [`/search (${count} runs)`, whole],
] as [string, JsonBody][]) {
  const raw = body.raw;
  const slots = likeSlots(raw);
  const bannerIds = [...slots.byId.keys()];
  console.log(`${name}: ${raw.length} bytes, ${slots.items} items`);
  const big = raw.length > 1e6;
  console.log(`  slots in one go: ${big ? ms(time(5, 1, () => likeSlots(raw))) : us(time(20, 1000, () => likeSlots(raw)))}`);
  if (big) {
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    const t = performance.now();
    await likeSlotsInSlices(raw);
    const wall = performance.now() - t;
    h.disable();
    console.log(`  slots in slices: ${wall.toFixed(1)} ms wall, loop delay max ${(h.max / 1e6).toFixed(1)} ms`);
  }
  if (big) {
    // what the index holds: the heap it adds
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed;
    const kept = likeSlots(raw);
    globalThis.gc?.();
    console.log(`  slots' heap: ${((process.memoryUsage().heapUsed - before) / 1e6).toFixed(1)} MB for ${kept.items} items`);
  }
  const inner = big ? 20 : 100_000;
  const rounds = big ? 5 : 20;
  for (const likes of [0, 20, 1000]) {
    const liked = name === '/banner' && likes === 20 ? new Set([...pick(20), bannerIds[3]!]) : pick(likes);
    const offsets = likedOffsets(slots, liked);
    console.log(
      `  ${likes} likes (${offsets.length} in the body): intersect ${us(time(rounds, inner, () => likedOffsets(slots, liked)))}, ` +
        (offsets.length
          ? `splice ${big ? ms(time(rounds, 5, () => withLikes(raw, offsets))) : us(time(rounds, inner, () => withLikes(raw, offsets)))}`
          : 'no splice'),
    );
  }
  if (big) {
    const offsets = likedOffsets(slots, pick(20));
    for (let round = 0; round < 3; round += 1) {
      const h = monitorEventLoopDelay({ resolution: 1 });
      h.enable();
      const t = performance.now();
      await withLikesInSlices(raw, offsets);
      const wall = performance.now() - t;
      h.disable();
      console.log(`  splice in slices (20 places): ${wall.toFixed(1)} ms wall, loop delay max ${(h.max / 1e6).toFixed(1)} ms`);
    }
  }
  // the whole per-request path of a caller with a like in the body (the second call: slots found)
  const lists = new LikedLists();
  const liked = new Set([bannerIds[1]!]);
  await lists.bodyFor(body, liked);
  const fresh = () => lists.bodyFor(body, new Set(liked));
  const t = performance.now();
  const n = big ? 3 : 10_000;
  for (let i = 0; i < n; i += 1) await fresh();
  console.log(`  bodyFor, a new liked set each time: ${(((performance.now() - t) * 1000) / n).toFixed(1)} µs`);
}
console.log(`rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
