import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { JsonBody } from '../platform/json-body.js';
import { Slices } from '../platform/slices.js';
import { sendJsonBody, sendJsonText } from './json.js';

/**
 * The runs a user likes, by run id. A user's set is replaced when their likes change, never
 * mutated: personalised bodies are cached by the set's identity. Connected to the likes feature
 * by the composition root; absent, nobody likes anything.
 */
export type LikedRuns = (userId: string) => Promise<ReadonlySet<string>> | ReadonlySet<string>;

/**
 * Where each item's `"is_liked":false` lies in a list body: run id → offset of its `f` (several,
 * for a run listed more than once). A number, not a one-element array, for the usual single
 * place: 50,000 small arrays made the scan of the whole catalogue pause for garbage collection.
 */
export interface LikeSlots {
  readonly byId: ReadonlyMap<string, number | readonly number[]>;
  /** Items found (an id in several groups of `/exclusive/main` counts once per place). */
  readonly items: number;
}

// List items are serialised by JSON.stringify with `id` first and `is_liked` last (list-items.ts).
// Inside a JSON string every `"` is escaped, so neither pattern can occur in a title or a URL.
const ITEM_START = Buffer.from('{"id":"');
const NOT_LIKED = Buffer.from(',"is_liked":false}');
const FALSE_AT = NOT_LIKED.length - 'false}'.length;
const QUOTE = 0x22;
const TRUE = Buffer.from('true');

/** Bodies up to this size are indexed in one go (11 items take a few microseconds). */
const INDEX_IN_ONE_GO_BYTES = 256 * 1024;

/** The slots of one body, scanned in one go. */
export function likeSlots(raw: Buffer): LikeSlots {
  const scan = new SlotScan(raw);
  while (scan.step());
  return scan.result();
}

/** The same, scanned in slices of at most SLICE_MS of loop time, so that requests are served meanwhile. */
export async function likeSlotsInSlices(raw: Buffer): Promise<LikeSlots> {
  const scan = new SlotScan(raw);
  const slices = new Slices();
  while (scan.step()) if (slices.due()) await slices.pause();
  return scan.result();
}

class SlotScan {
  private readonly byId = new Map<string, number | number[]>();
  private items = 0;
  private at: number;

  constructor(private readonly raw: Buffer) {
    this.at = raw.indexOf(ITEM_START);
  }

  /** Indexes the next item; false once there is none. */
  step(): boolean {
    if (this.at < 0) return false;
    const idStart = this.at + ITEM_START.length;
    const idEnd = this.raw.indexOf(QUOTE, idStart);
    const slot = idEnd < 0 ? -1 : this.raw.indexOf(NOT_LIKED, idEnd);
    if (slot < 0) {
      this.at = -1;
      return false;
    }
    const id = this.raw.toString('utf8', idStart, idEnd);
    const at = slot + FALSE_AT;
    const seen = this.byId.get(id);
    if (seen === undefined) this.byId.set(id, at);
    else if (typeof seen === 'number') this.byId.set(id, [seen, at]);
    else seen.push(at);
    this.items += 1;
    this.at = this.raw.indexOf(ITEM_START, slot + NOT_LIKED.length);
    return true;
  }

  result(): LikeSlots {
    return { byId: this.byId, items: this.items };
  }
}

/** Offsets (ascending) of the `false` literals of the liked runs' items; empty when none is in the body. */
export function likedOffsets(slots: LikeSlots, liked: ReadonlySet<string>): number[] {
  const hits: number[] = [];
  if (liked.size <= slots.byId.size) {
    for (const id of liked) {
      const at = slots.byId.get(id);
      if (at !== undefined) add(hits, at);
    }
  } else {
    for (const [id, at] of slots.byId) if (liked.has(id)) add(hits, at);
  }
  // one copy pass in order; also several groups of /exclusive/main may name one run
  if (hits.length > 1) hits.sort((a, b) => a - b);
  return hits;
}

function add(hits: number[], at: number | readonly number[]): void {
  if (typeof at === 'number') hits.push(at);
  else hits.push(...at);
}

/** A copy of `raw` with `true` in place of the `false` at each offset (ascending): one byte shorter each. */
export function withLikes(raw: Buffer, offsets: readonly number[]): Buffer {
  const out = Buffer.allocUnsafe(raw.length - offsets.length);
  let from = 0;
  let to = 0;
  for (const at of offsets) {
    to += raw.copy(out, to, from, at);
    to += TRUE.copy(out, to);
    from = at + 'false'.length;
  }
  raw.copy(out, to, from);
  return out;
}

/** Bytes copied between two looks at the clock when a long body is spliced in slices. */
const COPY_CHUNK = 1024 * 1024;

/**
 * The same copy made in slices of at most SLICE_MS of loop time: a 15 MB body took 9–17 ms in
 * one piece (mostly the first touch of the new buffer's pages).
 */
export async function withLikesInSlices(raw: Buffer, offsets: readonly number[]): Promise<Buffer> {
  const out = Buffer.allocUnsafe(raw.length - offsets.length);
  let from = 0;
  let to = 0;
  const slices = new Slices();
  const copyUpTo = async (end: number) => {
    while (from < end) {
      const stop = Math.min(end, from + COPY_CHUNK);
      to += raw.copy(out, to, from, stop);
      from = stop;
      if (slices.overTime()) await slices.pause();
    }
  };
  for (const at of offsets) {
    await copyUpTo(at);
    to += TRUE.copy(out, to);
    from = at + 'false'.length;
  }
  await copyUpTo(raw.length);
  return out;
}

/** The body as `liked` sees it: `raw` itself when none of its runs is liked. */
export function personalised(raw: Buffer, liked: ReadonlySet<string>, slots: LikeSlots = likeSlots(raw)): Buffer {
  if (liked.size === 0) return raw;
  const offsets = likedOffsets(slots, liked);
  return offsets.length === 0 ? raw : withLikes(raw, offsets);
}

/** Bytes of personalised bodies (with their compressed forms) kept, and the largest kept (the whole catalogue at 50,000 runs). */
const KEPT_BYTES = 48 * 1024 * 1024;
const KEPT_ENTRY_BYTES = 16 * 1024 * 1024;
/** Up to this many liked places, the key names them; beyond, a digest of them. */
const PLAIN_KEY_PLACES = 64;

/**
 * The overlay of a caller's likes on the shared list bodies. Each body's slots are found once
 * (kept with the body, in slices for long ones); per request the caller's set is intersected with
 * them, and only a body that holds a liked run is copied with `true` spliced in. Personalised
 * bodies worth compressing are kept by body and liked places (not by user: callers who like the
 * same runs of a list share one, and a new set with the same likes finds it), so that their
 * compressed forms are made once too, off the loop, like the shared body's.
 */
export class LikedLists {
  private readonly slots = new WeakMap<JsonBody, Promise<LikeSlots> | LikeSlots>();
  private readonly making = new Map<string, Promise<JsonBody>>();
  private readonly serials = new WeakMap<JsonBody, number>();
  private nextSerial = 0;
  private readonly kept = new LRUCache<string, JsonBody>({
    maxSize: KEPT_BYTES,
    maxEntrySize: KEPT_ENTRY_BYTES,
    sizeCalculation: (body) => body.bytes + 64,
  });

  /** The slots of a shared body, found once (a promise while a long body is scanned). */
  slotsOf(body: JsonBody): Promise<LikeSlots> | LikeSlots {
    let found = this.slots.get(body);
    if (found === undefined) {
      if (body.raw.length <= INDEX_IN_ONE_GO_BYTES) found = likeSlots(body.raw);
      else {
        const scanning = likeSlotsInSlices(body.raw).then((s) => {
          this.slots.set(body, s);
          return s;
        });
        found = scanning;
      }
      this.slots.set(body, found);
    }
    return found;
  }

  /** The body to send to a caller who likes `liked`: `body` itself when it holds none of them. */
  async bodyFor(body: JsonBody, liked: ReadonlySet<string>): Promise<JsonBody | Buffer> {
    if (liked.size === 0) return body;
    const offsets = likedOffsets(await this.slotsOf(body), liked);
    if (offsets.length === 0) return body;
    if (!body.compressible || body.raw.length - offsets.length > KEPT_ENTRY_BYTES) return withLikes(body.raw, offsets);
    const key = `${this.serialOf(body)}:${placesKey(offsets)}`;
    const hit = this.kept.get(key);
    if (hit) return hit;
    if (body.raw.length <= INDEX_IN_ONE_GO_BYTES) return this.keep(key, withLikes(body.raw, offsets));
    // long: copied in slices, shared by the requests that arrive meanwhile
    let making = this.making.get(key);
    if (making === undefined) {
      making = withLikesInSlices(body.raw, offsets).then((raw) => this.keep(key, raw));
      this.making.set(key, making);
      const done = () => this.making.delete(key);
      making.then(done, done);
    }
    return making;
  }

  private keep(key: string, raw: Buffer): JsonBody {
    const made: JsonBody = new JsonBody(raw, () => {
      // counts its new compressed form (the LRU sizes an entry only when it is set)
      if (this.kept.peek(key) === made) this.kept.set(key, made);
    });
    this.kept.set(key, made);
    return made;
  }

  /** Personalised bodies kept (for tests and stats). */
  keptStats(): { entries: number; bytes: number } {
    return { entries: this.kept.size, bytes: this.kept.calculatedSize };
  }

  private serialOf(body: JsonBody): number {
    let n = this.serials.get(body);
    if (n === undefined) this.serials.set(body, (n = this.nextSerial++));
    return n;
  }
}

/** Names a set of liked places of one body (ascending offsets). */
function placesKey(offsets: readonly number[]): string {
  if (offsets.length <= PLAIN_KEY_PLACES) return offsets.join(',');
  return createHash('sha256')
    .update(new Uint8Array(Float64Array.from(offsets).buffer))
    .digest('base64');
}

/** The overlay every list route shares (its caches are keyed by identity, so one per process serves all apps). */
export const likedLists = new LikedLists();

/** The caller's liked runs: the empty set for anonymous callers, without a `likedRuns`, or when it fails. */
async function likedBy(req: FastifyRequest, likedRuns: LikedRuns | undefined): Promise<ReadonlySet<string>> {
  const user = req.user;
  if (!user || !likedRuns) return NO_LIKES;
  try {
    return await likedRuns(user.userId);
  } catch (err) {
    // a list without hearts beats no list: the likes store being down must not break browsing
    req.log.warn({ err }, 'liked runs unavailable: list sent without likes');
    return NO_LIKES;
  }
}

const NO_LIKES: ReadonlySet<string> = new Set();

/**
 * Sends a shared list body with the caller's likes: anonymous callers and callers who like none
 * of its runs get the shared body with its ready compressed forms (`sendJsonBody`).
 */
export async function sendLikedList(
  req: FastifyRequest,
  reply: FastifyReply,
  body: JsonBody,
  likedRuns: LikedRuns | undefined,
): Promise<FastifyReply> {
  const liked = await likedBy(req, likedRuns);
  if (liked.size === 0) return sendJsonBody(req, reply, body);
  const mine = await likedLists.bodyFor(body, liked);
  return mine instanceof JsonBody ? sendJsonBody(req, reply, mine) : sendJsonText(reply, mine);
}

/** Sends a list made for this request (a few items: `/popular`, `/recommendation/{id}`) with the caller's likes. */
export async function sendLikedText(req: FastifyRequest, reply: FastifyReply, raw: Buffer, likedRuns: LikedRuns | undefined): Promise<FastifyReply> {
  const liked = await likedBy(req, likedRuns);
  return sendJsonText(reply, personalised(raw, liked));
}
