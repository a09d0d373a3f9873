import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { jsonArray, ListItems } from '../features/catalog/list-items.js';
import { summarize } from '../features/catalog/performance.js';
import { JsonBody } from '../platform/json-body.js';
import { makeRun } from '../test-support/runs.js';
import { likedLists, LikedLists, likedOffsets, likeSlots, likeSlotsInSlices, personalised, withLikes, withLikesInSlices } from './liked-lists.js';

// titles that look like the patterns the overlay looks for, with quotes, backslashes and Hangul
const tricky = ['공연 ,"is_liked":false}', '{"id":"ffffffffffffffffffffffff"', 'back\\slash \\', '따옴표 "x"', '이모지 🎭 공연'];
const runs = Array.from({ length: 40 }, (_, i) =>
  summarize(makeRun({ title: tricky[i % tricky.length]!, poster_url: i % 7 === 0 ? null : undefined })),
);
const items = new ListItems('2026.11.27', runs, (r) => r.poster_url);
const ids = runs.map((r) => r.id);

interface Item {
  id: string;
  is_liked: boolean;
}

/** What a caller liking `liked` must see: the anonymous items with is_liked set for the liked runs. */
const expectedList = (raw: Buffer, liked: ReadonlySet<string>) =>
  (JSON.parse(raw.toString()) as Item[]).map((item) => ({ ...item, is_liked: liked.has(item.id) }));

/** /exclusive/main's shape, with one run in two groups. */
const groupsBody = () =>
  jsonArray([
    Buffer.concat([Buffer.from('{"_id":1,"items":'), items.list([0, 1, 2, 3]), Buffer.from('}')]),
    Buffer.concat([Buffer.from('{"_id":2,"items":'), items.list([4, 2, 5]), Buffer.from('}')]),
    Buffer.from('{"_id":3,"items":[]}'),
  ]);

describe("a caller's likes laid over a shared list body", () => {
  it('when the body is serialised, then every item ends with "is_liked":false and is valid JSON', () => {
    const list = JSON.parse(items.list([0, 1, 2]).toString()) as Record<string, unknown>[];
    for (const item of list) {
      expect(item.is_liked).toBe(false);
      expect(Object.keys(item).at(-1)).toBe('is_liked');
    }
  });

  it('when some runs are liked, then exactly their items say true and the rest of the JSON is unchanged', () => {
    const raw = items.list(ids.map((_, i) => i));
    const liked = new Set([ids[0]!, ids[1]!, ids[17]!, ids[39]!, 'b00000000000000000000000']);
    const out = personalised(raw, liked);
    expect(out.length).toBe(raw.length - 4);
    expect(JSON.parse(out.toString())).toEqual(expectedList(raw, liked));
  });

  it('when nothing is liked, or no liked run is in the body, then the shared buffer itself is returned', () => {
    const raw = items.list([3, 4, 5]);
    expect(personalised(raw, new Set())).toBe(raw);
    expect(personalised(raw, new Set([ids[6]!, 'b00000000000000000000000']))).toBe(raw);
  });

  it('when every run is liked, then every item says true', () => {
    const raw = items.list(ids.map((_, i) => i));
    const out = personalised(raw, new Set(ids));
    expect((JSON.parse(out.toString()) as Item[]).every((item) => item.is_liked)).toBe(true);
    expect(out.length).toBe(raw.length - ids.length);
  });

  it('when a liked run appears in several groups of /exclusive/main, then it says true in each, and the groups keep their shape', () => {
    const raw = groupsBody();
    const liked = new Set([ids[2]!, ids[5]!]);
    const out = JSON.parse(personalised(raw, liked).toString()) as { _id: number; items: Item[] }[];
    const anonymous = JSON.parse(raw.toString()) as { _id: number; items: Item[] }[];
    expect(out).toEqual(anonymous.map((g) => ({ ...g, items: g.items.map((item) => ({ ...item, is_liked: liked.has(item.id) })) })));
    expect(out[0]!.items[2]!.is_liked).toBe(true);
    expect(out[1]!.items[1]!.is_liked).toBe(true);
    expect(likeSlots(raw).items).toBe(7);
  });

  it('when the liked set is larger than the body, then the result is the same as the other way round', () => {
    const raw = items.list([0, 1, 2]);
    const big = new Set([...ids, ...Array.from({ length: 100 }, (_, i) => `c${String(i).padStart(23, '0')}`)]);
    expect(JSON.parse(personalised(raw, big).toString())).toEqual(expectedList(raw, big));
  });

  it('when an empty list is overlaid, then it stays []', () => {
    expect(personalised(Buffer.from('[]'), new Set(ids)).toString()).toBe('[]');
  });

  it('when a long body is indexed in slices, then it finds the same slots as in one go', async () => {
    const raw = items.list(Array.from({ length: 5000 }, (_, i) => i % runs.length));
    const sliced = await likeSlotsInSlices(raw);
    const inOneGo = likeSlots(raw);
    expect(sliced.items).toBe(5000);
    expect([...sliced.byId]).toEqual([...inOneGo.byId]);
  });

  it('when a shared body is asked for by callers without likes in it, then it is the same JsonBody with its compressed forms untouched', async () => {
    const body = new JsonBody(items.list(ids.map((_, i) => i)));
    const gzip = await body.encoded('gzip');
    expect(await likedLists.bodyFor(body, new Set())).toBe(body);
    expect(await likedLists.bodyFor(body, new Set(['b00000000000000000000000']))).toBe(body);
    const mine = await likedLists.bodyFor(body, new Set([ids[3]!]));
    expect(mine).not.toBe(body);
    expect(body.ready('gzip')).toBe(gzip);
    expect(gunzipSync(gzip!).equals(body.raw)).toBe(true);
    expect((JSON.parse(body.raw.toString()) as Item[]).every((item) => !item.is_liked)).toBe(true);
  });

  it('when a long body is spliced in slices, then the result is the same as in one go', async () => {
    const raw = items.list(Array.from({ length: 12_000 }, (_, i) => i % runs.length));
    expect(raw.length).toBeGreaterThan(2 * 1024 * 1024);
    const liked = new Set([ids[0]!, ids[13]!, ids[39]!]);
    const offsets = likedOffsets(likeSlots(raw), liked);
    const sliced = await withLikesInSlices(raw, offsets);
    expect(sliced.equals(withLikes(raw, offsets))).toBe(true);
    expect(JSON.parse(sliced.toString())).toEqual(expectedList(raw, liked));
    const lists = new LikedLists();
    const body = new JsonBody(raw);
    const [a, b] = await Promise.all([lists.bodyFor(body, liked), lists.bodyFor(body, new Set(liked))]);
    expect(a).toBe(b);
    expect((a as JsonBody).raw.equals(sliced)).toBe(true);
  });

  it('when a body is overlaid many times, then its slots are found once', async () => {
    const lists = new LikedLists();
    const body = new JsonBody(items.list([0, 1, 2]));
    const first = await lists.slotsOf(body);
    expect(await lists.slotsOf(body)).toBe(first);
  });

  it('when a compressible personalised body is asked for again with the same likes in it, then the kept one (with its compressed forms) is served', async () => {
    const lists = new LikedLists();
    const raw = items.list(Array.from({ length: 2000 }, (_, i) => i % runs.length));
    const body = new JsonBody(raw);
    const liked = new Set([ids[1]!]);
    const mine = (await lists.bodyFor(body, liked)) as JsonBody;
    expect(mine).toBeInstanceOf(JsonBody);
    const gzip = await mine.encoded('gzip');
    expect(JSON.parse(gunzipSync(gzip!).toString())).toEqual(expectedList(raw, liked));
    // a new set object with the same likes in this body (another user, or a like elsewhere) shares it
    expect(await lists.bodyFor(body, new Set([ids[1]!, 'b00000000000000000000000']))).toBe(mine);
    expect(mine.ready('gzip')).toBe(gzip);
    // other likes are another body
    const changed = (await lists.bodyFor(body, new Set([ids[1]!, ids[2]!]))) as JsonBody;
    expect(changed).not.toBe(mine);
    expect(JSON.parse(changed.raw.toString())).toEqual(expectedList(raw, new Set([ids[1]!, ids[2]!])));
    // many places: keyed by a digest of them
    const most = new Set(ids.slice(0, 39));
    const many = (await lists.bodyFor(body, most)) as JsonBody;
    expect(await lists.bodyFor(body, new Set(most))).toBe(many);
    expect(JSON.parse(many.raw.toString())).toEqual(expectedList(raw, most));
    expect(lists.keptStats().entries).toBe(3);
  });

  it('when a body too small to compress holds a liked run, then a plain buffer is made per request', async () => {
    const body = new JsonBody(items.list([0]));
    expect(body.compressible).toBe(false);
    const mine = await new LikedLists().bodyFor(body, new Set([ids[0]!]));
    expect(Buffer.isBuffer(mine)).toBe(true);
  });
});
