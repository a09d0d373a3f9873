import { mergeHosts, type Performance } from '../catalog/index.js';

/** What the store already holds of the ids and keys a file mentions. */
export interface StoredView {
  byId: ReadonlyMap<string, Performance>;
  idByKey: ReadonlyMap<string, string>;
}

export interface ImportPlan {
  /** One document per id, duplicatekeys unique; ready for `upsertMany`. */
  writes: Performance[];
  /** Records that became a new run. */
  inserted: number;
  /** Records that replaced a stored run with their own `_id`. */
  updated: number;
  /** Records folded into another record with the same duplicatekey (or a repeat of an id in the file). */
  merged: number;
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

/**
 * A duplicate (same duplicatekey, another record) merging into the run that holds the key.
 * The holder keeps its id and every field it has; the duplicate only fills fields the holder
 * lacks and adds its vendors to `hosts`. So a run's text does not flip with import order, and
 * a second vendor's listing of the same show adds that vendor and nothing else.
 */
export function mergeDuplicate(holder: Performance, incoming: Performance): Performance {
  const out: Performance = { ...holder, hosts: mergeHosts(holder.hosts, incoming.hosts) };
  const fields = out as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(incoming)) {
    if (k === '_id' || k === 'hosts') continue;
    if (isEmpty(fields[k]) && !isEmpty(v)) fields[k] = v;
  }
  return out;
}

/**
 * Resolves a file's records against the store, in file order:
 * - a record whose duplicatekey is held by another run (stored, or earlier in the file) merges
 *   into that run (see `mergeDuplicate`);
 * - otherwise it is written under its `_id` (a new id when it has none). When that id is
 *   already stored, the record replaces the stored fields, but `hosts` accumulate: a vendor is
 *   never dropped by an import, since a file from one vendor says nothing about the others.
 * Runs of `records` have `_id === ''` when the file gave none.
 */
export function planImport(records: Iterable<Performance>, stored: StoredView, newId: () => string): ImportPlan {
  const pending = new Map<string, Performance>();
  // Key ownership as changed by this file; null = freed by a run that moved to another key.
  const keyOwner = new Map<string, string | null>();
  const ownerOf = (key: string): string | undefined => {
    const o = keyOwner.get(key);
    return o === null ? undefined : (o ?? stored.idByKey.get(key));
  };
  const current = (id: string) => pending.get(id) ?? stored.byId.get(id);
  // Ids already written by a record of their own (a repeat of such an id counts as merged).
  const own = new Set<string>();
  let inserted = 0;
  let updated = 0;
  let merged = 0;

  for (const run of records) {
    const holder = ownerOf(run.duplicatekey);
    if (holder !== undefined && holder !== run._id) {
      pending.set(holder, mergeDuplicate(current(holder)!, run));
      merged += 1;
      continue;
    }
    const id = run._id !== '' ? run._id : newId();
    const base = current(id);
    let next: Performance;
    if (base) {
      if (base.duplicatekey !== run.duplicatekey) keyOwner.set(base.duplicatekey, null);
      next = { ...run, _id: id, hosts: mergeHosts(base.hosts, run.hosts) };
      // Import files carry no schedule text: a vendor's file does not erase the one a source gave.
      if (run.schedule === undefined && base.schedule != null) next.schedule = base.schedule;
      if (own.has(id)) merged += 1;
      else updated += 1;
    } else {
      next = { ...run, _id: id };
      inserted += 1;
    }
    keyOwner.set(run.duplicatekey, id);
    pending.set(id, next);
    own.add(id);
  }
  return { writes: [...pending.values()], inserted, updated, merged };
}
