import { LRUCache } from 'lru-cache';
import type { Clock } from '../../platform/clock.js';
import { notFound, unprocessable } from '../../platform/errors.js';
import { OBJECT_ID } from '../../platform/ids.js';
import type { Actor, EventRecorder } from '../../pipeline/index.js';
import { isExclusive, isOnSale, type CatalogReader, type PerformanceStore, type PerformanceSummary } from '../catalog/index.js';
import type { LikeChangeListener, LikeStore, LikeWatch } from './like.store.js';

/** Accounts whose liked sets stay in memory (the least recently used go first). */
export const LIKED_SETS_MAX = 20_000;
/** After the change feed failed to start, likedIds reads the store until a retry this much later. */
const WATCH_RETRY_MS = 5_000;

/** `POST /like`'s answer: the run as a list item, liked. */
export interface LikedItem {
  id: string;
  title: string;
  poster_url: string | null;
  location: string | null;
  start_date: string;
  end_date: string;
  category: string | null;
  onSale: boolean;
  isExclusive: boolean;
  is_liked: true;
}

/** One entry of `GET /get_like`. */
export interface LikedRun {
  id: string;
  title: string;
  poster_url: string | null;
  location: string | null;
  open_date: string | null;
  end_date: string;
}

export interface LikesDeps {
  store: LikeStore;
  /** Which runs exist (a like of anything else is a 404) and their list fields. */
  catalog: Pick<CatalogReader, 'summaryOf' | 'today'>;
  /** The stored documents, for `open_date` (not part of the in-memory summaries). */
  documents: Pick<PerformanceStore, 'findByIds'>;
  clock: Clock;
  events: EventRecorder;
  /** The `poster_url` list items show (the composition root passes the catalogue's rule). */
  posterUrl?: (run: PerformanceSummary) => string | null;
  /** Told when the change feed fails (it keeps trying). */
  onWatchError?: (err: unknown) => void;
  /** Bound of the liked-set cache (tests make it small). */
  cacheMax?: number;
}

type Status = 'changed' | 'unchanged';

const checkId = (runId: string): void => {
  if (!OBJECT_ID.test(runId)) throw unprocessable({ field: 'body.id', message: 'must be 24 lowercase hexadecimal characters' });
};

/**
 * Likes of runs by accounts, and each account's liked-id set for the list endpoints.
 *
 * The sets are cached in memory (bounded LRU) and replaced, never mutated, when they change, so a
 * caller may keep the set it was given. Staleness bound of a cached set:
 * - changes made through this instance are seen at once: the set is dropped before `like` or
 *   `unlike` returns, and a load that started before is not stored;
 * - changes made by another instance are seen once the store's change feed reports them:
 *   PostgreSQL notifies in the writing statement, so within the notification's delivery time
 *   (milliseconds) of the commit; SQLite is polled every SQLITE_LIKE_POLL_MS (500 ms), so within
 *   about half a second. While the feed is broken (a lost LISTEN connection, reconnected every
 *   second; a failing poll) the bound is the outage: on reconnect every cached set is dropped.
 * Nothing is cached until the feed is watching (it starts with the first `likedIds` call), so an
 * instance that cannot hear changes reads the store every time instead of serving stale sets.
 */
export class LikesService {
  private readonly cache: LRUCache<string, ReadonlySet<string>>;
  /** Loads in flight; one that is no longer the entry here when it ends is not cached. */
  private readonly loading = new Map<string, Promise<ReadonlySet<string>>>();
  private watch: LikeWatch | undefined;
  private starting: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly deps: LikesDeps) {
    this.cache = new LRUCache({ max: deps.cacheMax ?? LIKED_SETS_MAX });
  }

  /** Likes the run (idempotent); its list item. 422 for a malformed id, 404 for a run not in the catalogue. */
  async like(userId: string, runId: string, actor: Actor): Promise<LikedItem> {
    checkId(runId);
    const run = this.deps.catalog.summaryOf(runId);
    if (run === undefined) throw notFound('performance not found');
    const added = await this.deps.store.like(userId, runId, this.deps.clock.now());
    if (added) this.forget(userId);
    this.record('like', actor, runId, run, added ? 'changed' : 'unchanged');
    return {
      id: run.id,
      title: run.title,
      poster_url: this.posterUrl(run),
      location: run.location,
      start_date: run.start_date,
      end_date: run.end_date,
      category: run.category,
      onSale: isOnSale(run, this.deps.catalog.today()),
      isExclusive: isExclusive(run),
      is_liked: true,
    };
  }

  /**
   * Removes the like (idempotent); the run id. A like of a run that has left the catalogue can
   * still be removed; an id that is neither liked nor in the catalogue is a 404.
   */
  async unlike(userId: string, runId: string, actor: Actor): Promise<string> {
    checkId(runId);
    const run = this.deps.catalog.summaryOf(runId);
    const removed = await this.deps.store.unlike(userId, runId);
    if (removed) this.forget(userId);
    else if (run === undefined) throw notFound('performance not found');
    this.record('unlike', actor, runId, run, removed ? 'changed' : 'unchanged');
    return runId;
  }

  /** The user's liked runs that are in the catalogue, oldest like first. */
  async list(userId: string): Promise<LikedRun[]> {
    const runs = (await this.deps.store.list(userId))
      .map((l) => this.deps.catalog.summaryOf(l.runId))
      .filter((r): r is PerformanceSummary => r !== undefined);
    if (runs.length === 0) return [];
    const docs = await this.deps.documents.findByIds(runs.map((r) => r.id));
    const openDates = new Map(docs.map((d) => [d._id, d.open_date]));
    return runs.map((r) => ({
      id: r.id,
      title: r.title,
      poster_url: this.posterUrl(r),
      location: r.location,
      open_date: openDates.get(r.id) ?? null,
      end_date: r.end_date,
    }));
  }

  /** The ids of the runs the user likes (cached; see the class comment for how fresh). */
  async likedIds(userId: string): Promise<ReadonlySet<string>> {
    if (this.watch === undefined) {
      this.startWatching();
      return this.read(userId);
    }
    const hit = this.cache.get(userId);
    if (hit !== undefined) return hit;
    const pending = this.loading.get(userId);
    if (pending !== undefined) return pending;
    const load: Promise<ReadonlySet<string>> = this.read(userId).then(
      (ids) => {
        if (this.loading.get(userId) === load) {
          this.loading.delete(userId);
          if (this.watch !== undefined) this.cache.set(userId, ids);
        }
        return ids;
      },
      (err: unknown) => {
        if (this.loading.get(userId) === load) this.loading.delete(userId);
        throw err;
      },
    );
    this.loading.set(userId, load);
    return load;
  }

  /** Stops watching for changes. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.starting;
    const watch = this.watch;
    this.watch = undefined;
    this.forgetAll();
    await watch?.close();
  }

  private async read(userId: string): Promise<ReadonlySet<string>> {
    return new Set((await this.deps.store.list(userId)).map((l) => l.runId));
  }

  private forget(userId: string): void {
    this.cache.delete(userId);
    this.loading.delete(userId);
  }

  private forgetAll(): void {
    this.cache.clear();
    this.loading.clear();
  }

  private startWatching(): void {
    if (this.starting !== undefined || this.closed) return;
    const listener: LikeChangeListener = { changed: (userId) => this.forget(userId), resync: () => this.forgetAll() };
    const onError = (err: unknown) => this.deps.onWatchError?.(err);
    this.starting = this.deps.store.watch(listener, onError).then(
      async (watch) => {
        if (this.closed) await watch.close();
        else this.watch = watch;
      },
      (err: unknown) => {
        onError(err);
        this.retry = setTimeout(() => (this.starting = undefined), WATCH_RETRY_MS);
        this.retry.unref();
      },
    );
  }

  private posterUrl(run: PerformanceSummary): string | null {
    return this.deps.posterUrl ? this.deps.posterUrl(run) : run.poster_url;
  }

  private record(action: 'like' | 'unlike', actor: Actor, runId: string, run: PerformanceSummary | undefined, status: Status): void {
    this.deps.events.record('Like_log', action, actor, {
      ticket_id: runId,
      title: run?.title ?? null,
      category: run?.category ?? null,
      status,
    });
  }
}
