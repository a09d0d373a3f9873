/** One stored like. */
export interface LikeRecord {
  runId: string;
  likedAt: Date;
}

/** What a store tells the cache of liked sets about changes made by any instance. */
export interface LikeChangeListener {
  /** A like or unlike of this user committed (on this or another instance). */
  changed(userId: string): void;
  /** Changes may have been missed (a lost connection came back): forget every cached set. */
  resync(): void;
}

export interface LikeWatch {
  close(): Promise<void>;
}

/**
 * The likes of every account, shared by every instance. Adapters: SQLite, PostgreSQL. Like and
 * unlike are single atomic writes, so they are idempotent and race-safe: of any number of
 * concurrent likes of one run by one user, exactly one inserts (one row), the others change nothing.
 */
export interface LikeStore {
  /** Records the like; true when it is new, false when the user already liked the run. */
  like(userId: string, runId: string, at: Date): Promise<boolean>;
  /** Removes the like; true when there was one. */
  unlike(userId: string, runId: string): Promise<boolean>;
  /** The user's likes, oldest first (ties in the order they were made). */
  list(userId: string): Promise<LikeRecord[]>;
  /**
   * Reports committed changes (from every instance, this one included) to `listener` until
   * closed: PostgreSQL through LISTEN/NOTIFY, SQLite by polling a change counter. Resolves once
   * watching: every change that commits afterwards is reported.
   */
  watch(listener: LikeChangeListener, onError: (err: unknown) => void): Promise<LikeWatch>;
}
