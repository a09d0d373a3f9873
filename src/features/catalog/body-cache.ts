import { LRUCache } from 'lru-cache';
import { JsonBody } from '../../platform/json-body.js';

/**
 * A least-recently-used cache of answers keyed by client input, bounded in entries and in bytes.
 * The bytes of an entry are its body's and, once they are made, its compressed forms', so the
 * bound holds what the cache really keeps. An answer larger than a quarter of the bound is
 * answered but not kept: one huge answer must not flush every other.
 */
export class BodyCache<K extends NonNullable<unknown>, V extends { body: JsonBody }> {
  private readonly lru: LRUCache<K, V>;
  private readonly maxEntryBytes: number;

  constructor(opts: { maxBytes: number; maxEntries: number; keyBytes: (key: K) => number }) {
    this.maxEntryBytes = Math.max(1, Math.floor(opts.maxBytes / 4));
    this.lru = new LRUCache<K, V>({
      max: opts.maxEntries,
      maxSize: opts.maxBytes,
      sizeCalculation: (v, key) => v.body.bytes + opts.keyBytes(key) + 64,
    });
  }

  get(key: K): V | undefined {
    return this.lru.get(key);
  }

  /** The entry `make` builds around `raw`, kept if it is small enough. */
  add(key: K, raw: Buffer, make: (body: JsonBody) => V): V {
    const entry: V = make(new JsonBody(raw, () => this.recount(key, entry)));
    if (raw.length <= this.maxEntryBytes) this.lru.set(key, entry);
    return entry;
  }

  /** Counts an entry's new compressed form (the LRU sizes an entry only when it is set). */
  private recount(key: K, entry: V): void {
    if (this.lru.peek(key) !== entry) return;
    this.lru.delete(key);
    this.lru.set(key, entry);
  }

  clear(): void {
    this.lru.clear();
  }

  stats(): { entries: number; bytes: number } {
    return { entries: this.lru.size, bytes: this.lru.calculatedSize };
  }
}
