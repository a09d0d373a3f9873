import { describe, expect, it } from 'vitest';
import type { Actor, EventFields, EventRecorder, Topic } from '../../pipeline/index.js';
import { fixedClock } from '../../platform/clock.js';
import { makeRun } from '../../test-support/runs.js';
import { CatalogService } from './catalog.service.js';
import { createMemoryPerformanceStore } from './memory-performance-store.js';

const clock = fixedClock('2026-11-27T12:00:00+09:00');
const actor: Actor = { user_id: 'moa2026', device: 'Mozilla/5.0', gender: 'F', birth_year: 1995 };

interface Recorded {
  topic: Topic;
  action: string;
  actor: Actor;
  fields: EventFields;
}

async function catalogWith(...runs: ReturnType<typeof makeRun>[]) {
  const recorded: Recorded[] = [];
  const events: EventRecorder = { record: (topic, action, who, fields) => recorded.push({ topic, action, actor: who, fields }) };
  const store = createMemoryPerformanceStore();
  if (runs.length > 0) await store.upsertMany(runs);
  const catalog = new CatalogService({ store, clock, events });
  await catalog.refresh();
  return { catalog, store, recorded };
}

describe('the catalogue records what visitors search and view', () => {
  it('when someone searches, then one Search_log event carries the filters as given and the result count', async () => {
    const { catalog, recorded } = await catalogWith(makeRun({ title: '레미제라블', category: '뮤지컬' }));

    const { count } = await catalog.search({ keyword: '레미', category: '뮤지컬', start_date: '' }, actor);

    expect(count).toBe(1);
    expect(recorded).toEqual([
      {
        topic: 'Search_log',
        action: 'search',
        actor,
        fields: { keyword: '레미', category: '뮤지컬', region: '', start_date: '', end_date: '', result_count: 1 },
      },
    ]);
  });

  it('when a search is refused (a malformed date), then nothing is recorded', async () => {
    const { catalog, recorded } = await catalogWith();

    await expect(catalog.search({ start_date: '2026.13.01' }, actor)).rejects.toThrow(/start_date/);
    expect(recorded).toEqual([]);
  });

  it('when someone views a run, then the body is returned and one View_detail_log event names it', async () => {
    const run = makeRun({ title: '캣츠', category: '뮤지컬' });
    const { catalog, recorded } = await catalogWith(run);

    const body = await catalog.detail(run._id, actor);

    expect(JSON.parse(body!.toString())).toMatchObject({ data: { _id: run._id, title: '캣츠' } });
    expect(recorded).toEqual([
      { topic: 'View_detail_log', action: 'view_detail', actor, fields: { ticket_id: run._id, title: '캣츠', category: '뮤지컬' } },
    ]);
  });

  it('when a run is viewed again from memory, then the view is recorded again', async () => {
    const run = makeRun();
    const { catalog, recorded } = await catalogWith(run);

    await catalog.detail(run._id, actor);
    await catalog.detail(run._id, actor);

    expect(recorded.map((e) => e.fields.ticket_id)).toEqual([run._id, run._id]);
  });

  it('when the run is unknown, then detail answers undefined and records nothing', async () => {
    const { catalog, recorded } = await catalogWith();

    expect(await catalog.detail('0123456789abcdef01234567', actor)).toBeUndefined();
    expect(recorded).toEqual([]);
  });

  it('when the id is malformed, then detail refuses it with 400 and records nothing', async () => {
    const { catalog, recorded } = await catalogWith();

    await expect(catalog.detail('not-an-id', actor)).rejects.toMatchObject({ statusCode: 400 });
    expect(recorded).toEqual([]);
  });

  it('when the store has a run the loaded catalogue does not know yet, then the view is recorded without title and category', async () => {
    const { catalog, store, recorded } = await catalogWith();
    const run = makeRun({ title: '새 공연' });
    await store.upsertMany([run]);

    expect(await catalog.detail(run._id, actor)).toBeDefined();
    expect(recorded[0]!.fields).toEqual({ ticket_id: run._id, title: null, category: null });
  });
});
