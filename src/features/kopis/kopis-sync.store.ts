import type { KopisCallBudget } from './kopis-calls.js';

/** What the connector remembers of one KOPIS performance. */
export interface KopisLink {
  mt20id: string;
  /** The catalogue run it is written as (given before the first write). */
  performanceId: string;
  duplicatekey: string | null;
  /** Fingerprint of the list item last seen: a different one means the run changed. */
  listHash: string;
  /** Fingerprint of the mapped run last fetched; null when the detail could not be used. */
  recordHash: string | null;
  /** The sync that last looked at it. */
  syncId: string;
}

export interface StagedRun extends KopisLink {
  /** The mapped run's JSON, to be written to the catalogue; null when nothing is to be written. */
  pending: string | null;
  at: Date;
}

export interface SyncCounts {
  /** List items read. */
  fetched: number;
  /** Detail calls answered. */
  details: number;
  inserted: number;
  updated: number;
  /** Runs folded into a run another source already had (same duplicatekey). */
  merged: number;
  /** Items left alone: unchanged, or already handled by this sync. */
  skipped: number;
  errors: number;
}

export const NO_COUNTS: SyncCounts = Object.freeze({ fetched: 0, details: 0, inserted: 0, updated: 0, merged: 0, skipped: 0, errors: 0 });

export interface SyncRecord {
  id: string;
  /** Which provinces it covers ("all" or codes): incremental syncs build on one of the same scope. */
  scope: string;
  /** The plan's JSON (see kopis-plan.ts). */
  plan: string;
  nextStep: number;
  nextPage: number;
  counts: SyncCounts;
  startedAt: Date;
  finishedAt: Date | undefined;
}

/**
 * A KOPIS record that could not be used (its answer refused by the reader, or its run by the
 * mapping): set aside so that the sync goes on, and retried on later syncs.
 */
export interface RecordProblem {
  mt20id: string;
  reason: string;
  /** The list item it was listed with (JSON): enough to ask for its detail again without listing. */
  item: string;
  /** Failed attempts so far (one per sync at most). */
  attempts: number;
  firstSeen: Date;
  lastSeen: Date;
  /** The sync that last tried it. */
  syncId: string;
}

export interface ProblemCounts {
  /** Still retried by later syncs. */
  open: number;
  /** Past the attempt cap: tried again only when KOPIS lists the record as changed. */
  givenUp: number;
}

/**
 * The connector's state in the database: links to catalogue runs, runs fetched but not yet
 * written, each sync's progress, and the calls made per day. Every method commits on its own, so
 * a process killed at any point leaves a state the next sync resumes from.
 */
export interface KopisSyncStore extends KopisCallBudget {
  links(mt20ids: readonly string[]): Promise<Map<string, KopisLink>>;
  /** Upserts the link (and the run waiting to be written, if any). */
  stage(run: StagedRun): Promise<void>;
  /** Runs fetched but not yet written to the catalogue, oldest first. */
  pending(limit: number): Promise<{ mt20id: string; run: string }[]>;
  /** The runs were written: clears their pending JSON. */
  written(mt20ids: readonly string[]): Promise<void>;
  /** The unfinished, not abandoned sync, if any. */
  openSync(): Promise<SyncRecord | undefined>;
  /** The latest finished sync of `scope`. */
  lastFinished(scope: string): Promise<SyncRecord | undefined>;
  startSync(sync: SyncRecord): Promise<void>;
  /** Commits how far the sync got. */
  advance(id: string, nextStep: number, nextPage: number, counts: SyncCounts): Promise<void>;
  finish(id: string, at: Date, counts: SyncCounts): Promise<void>;
  abandon(id: string): Promise<void>;
  callsOn(day: string): Promise<number>;
  /**
   * Records that `mt20id` failed (again) in `syncId`: inserted with one attempt, or its reason,
   * item and last-seen time updated and one attempt added; a second failure in the same sync
   * (a resumed sync asking again) adds none. Returns the attempts.
   */
  recordProblem(problem: { mt20id: string; reason: string; item: string; syncId: string; at: Date }): Promise<number>;
  /** The record read fine: its problem, if any, is gone. */
  clearProblem(mt20id: string): Promise<void>;
  /** Problems another sync than `syncId` tried last and with fewer than `maxAttempts` attempts, least recently tried first. */
  problemsToRetry(syncId: string, maxAttempts: number, limit: number): Promise<RecordProblem[]>;
  problemCounts(maxAttempts: number): Promise<ProblemCounts>;
}
