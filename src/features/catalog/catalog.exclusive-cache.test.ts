import { describe, expect, it } from 'vitest';
import type { EventRecorder } from '../../pipeline/index.js';
import { fixedClock } from '../../platform/clock.js';
import type { JsonBody } from '../../platform/json-body.js';
import { makeRun } from '../../test-support/runs.js';
import { CatalogService } from './catalog.service.js';
import { createMemoryPerformanceStore } from './memory-performance-store.js';

const clock = fixedClock('2026-11-27T12:00:00+09:00');
const events: EventRecorder = { record: () => {} };
const only = (site: number) => [{ site_id: site, ticket_url: `https://tickets.example.com/${site}` }];

async function catalogWith() {
  const store = createMemoryPerformanceStore();
  await store.upsertMany([
    makeRun({ title: '단독 1', start_date: '2026.11.20', end_date: '2026.12.31', hosts: only(1) }),
    makeRun({ title: '단독 2', start_date: '2026.11.20', end_date: '2026.12.31', hosts: only(2) }),
    makeRun({ title: '함께', start_date: '2026.11.20', end_date: '2026.12.31', hosts: [...only(1), ...only(2)] }),
  ]);
  const catalog = new CatalogService({ store, clock, events });
  await catalog.refresh();
  return catalog;
}

const titles = (body: JsonBody) => (JSON.parse(body.raw.toString()) as { title: string }[]).map((r) => r.title);

describe('/exclusive/all with a client-supplied site_id', () => {
  it('when many distinct site_ids are asked for, then the body cache holds one entry per vendor the catalogue has, not one per site_id', async () => {
    const catalog = await catalogWith();
    expect(titles(await catalog.exclusiveAll(1))).toEqual(['단독 1']);
    expect(titles(await catalog.exclusiveAll(2))).toEqual(['단독 2']);
    expect(titles(await catalog.exclusiveAll())).toEqual(['단독 1', '단독 2']);
    const before = catalog.bodyCacheStats().entries;
    for (let site = 3; site < 20_000; site += 1) expect((await catalog.exclusiveAll(site)).raw.toString()).toBe('[]');
    expect(catalog.bodyCacheStats().entries).toBe(before);
    expect(before).toBeLessThanOrEqual(3);
    // the vendors' bodies are still served from the cache
    expect(await catalog.exclusiveAll(1)).toBe(await catalog.exclusiveAll(1));
  });
});
