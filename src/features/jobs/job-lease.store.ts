/** What the store remembers of a job between runs (and between processes). */
export interface JobRecord {
  holder: string | null;
  /** Epoch ms until which `holder` owns the job. */
  expiresAt: number;
  lastStartedAt: number | undefined;
  lastFinishedAt: number | undefined;
  lastSummary: string | undefined;
}

/**
 * Leases that let one process at a time run a job against a database. A lease expires, so a
 * crashed holder blocks the job for at most its time-to-live.
 */
export interface JobLeaseStore {
  /** Takes the lease when it is free, expired or already ours. Times are epoch ms. */
  tryAcquire(job: string, holder: string, now: number, ttlMs: number): Promise<boolean>;
  /** Extends our lease; false when it is no longer ours. */
  renew(job: string, holder: string, now: number, ttlMs: number): Promise<boolean>;
  /** Frees our lease; with a summary the run counts as finished at `now`. */
  release(job: string, holder: string, now: number, summary?: string): Promise<void>;
  get(job: string): Promise<JobRecord | undefined>;
}
