import { createHash } from 'node:crypto';
import type { Performance } from '../catalog/index.js';
import type { Clock } from '../../platform/clock.js';
import type { IdGenerator } from '../../platform/ids.js';
import { addDays, kstDate } from '../../platform/kst.js';
import { KopisApiError, KopisBudgetExhaustedError, KopisFormatError, type KopisClient, type KopisListItem } from './kopis.client.js';
import { runOfKopis } from './kopis-mapping.js';
import { PAGE_ROWS, planSync, scopeKey, type SyncPlan, type SyncScope, type SyncStep } from './kopis-plan.js';
import { NO_COUNTS, type KopisLink, type KopisSyncStore, type ProblemCounts, type SyncCounts } from './kopis-sync.store.js';

export interface KopisSyncDeps {
  client: KopisClient;
  store: KopisSyncStore;
  /** Writes runs to the catalogue: the import path (`ImportService.apply`). */
  writer: { apply(runs: readonly Performance[]): Promise<{ inserted: number; updated: number; merged: number }> };
  clock: Clock;
  ids: IdGenerator;
  /** Days listed from today when no `--to` is given (KOPIS_SYNC_DAYS). */
  defaultDays: number;
}

export interface SyncOptions {
  /** `YYYY.MM.DD`; default today. */
  from?: string | undefined;
  to?: string | undefined;
  /** Province codes; [] or undefined = all. */
  provinces?: readonly string[] | undefined;
  /** List only: count what would be fetched; write nothing. */
  dryRun?: boolean | undefined;
  /** List everything, without building on the last sync. */
  full?: boolean | undefined;
}

export interface SyncProgress {
  step: number;
  steps: number;
  page: number;
  counts: SyncCounts;
  calls: number;
}

export interface KopisSyncSummary {
  syncId: string | undefined;
  resumed: boolean;
  dryRun: boolean;
  from: string;
  to: string;
  scope: string;
  /** The day of the earlier sync this one built on. */
  afterdate: string | undefined;
  steps: number;
  counts: SyncCounts;
  /** KOPIS calls made by this run. */
  calls: number;
  /** Why it stopped before the end; the next run resumes. */
  stopped: 'budget' | undefined;
  /** Runs that could not be used (first few). */
  problems: string[];
  /** Records set aside (kopis_record_problems) after this run: still retried, and given up. */
  recordProblems: ProblemCounts;
}

export interface SyncHooks {
  /** Called after each item and page; it may throw to stop the sync (a job's stop signal). */
  progress(p: SyncProgress): Promise<void>;
  signal?: AbortSignal | undefined;
}

const LIST_FIELDS: readonly (keyof KopisListItem)[] = [
  'prfnm',
  'prfpdfrom',
  'prfpdto',
  'fcltynm',
  'poster',
  'area',
  'genrenm',
  'openrun',
  'prfstate',
];
const MAX_PROBLEMS = 20;
const WRITE_BATCH = 200;
/**
 * A record that fails is asked again by later syncs (each at most once) until it has failed this
 * many times: with the daily schedule, five days. Then only KOPIS listing it as changed brings it back.
 */
export const MAX_RECORD_ATTEMPTS = 5;
const RETRY_BATCH = 100;

const hash = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);
const listHash = (item: KopisListItem) => hash(JSON.stringify(LIST_FIELDS.map((f) => item[f] ?? null)));

/**
 * Keeps the catalogue in step with KOPIS. A sync lists each step's pages (100 rows, until a short
 * page), fetches the detail of each new or changed performance, and writes the runs through the
 * import path (upsert by the id the connector gave the run, merging by duplicatekey with runs
 * other sources brought). Every fetched detail is committed before it is written, and the page
 * cursor after the page: a sync killed at any point resumes without fetching again what it had
 * committed, and writes the same ids again (no duplicates).
 */
export class KopisSyncService {
  private dryRunSeen = new Set<string>();

  constructor(private readonly deps: KopisSyncDeps) {}

  scopeOf(options: SyncOptions): SyncScope {
    const today = kstDate(this.deps.clock.now());
    const from = options.from ?? today;
    const to = options.to ?? addDays(from, this.deps.defaultDays - 1);
    return { from, to, provinces: [...(options.provinces ?? [])].sort() };
  }

  async sync(options: SyncOptions, hooks: SyncHooks): Promise<KopisSyncSummary> {
    const { store, clock, client } = this.deps;
    const callsBefore = client.calls();
    const explicit = options.from !== undefined || options.to !== undefined || (options.provinces?.length ?? 0) > 0 || options.full === true;
    const scope = this.scopeOf(options);
    const problems: string[] = [];
    const counts: SyncCounts = { ...NO_COUNTS };
    let plan: SyncPlan;
    let syncId: string | undefined;
    let resumed = false;
    let cursor = { step: 0, page: 1 };

    if (options.dryRun) {
      this.dryRunSeen = new Set();
      const previous = options.full ? undefined : await store.lastFinished(scopeKey(scope.provinces));
      plan = planSync(scope, previous && this.previousOf(previous.plan, previous.startedAt), options.full === true);
    } else {
      const open = await store.openSync();
      const openPlan = open && (JSON.parse(open.plan) as SyncPlan);
      if (open && openPlan && (!explicit || sameScope(openPlan.scope, scope))) {
        ({ plan, syncId, resumed } = { plan: openPlan, syncId: open.id, resumed: true });
        cursor = { step: open.nextStep, page: open.nextPage };
        Object.assign(counts, open.counts);
      } else {
        if (open) await store.abandon(open.id);
        const previous = options.full ? undefined : await store.lastFinished(scopeKey(scope.provinces));
        plan = planSync(scope, previous && this.previousOf(previous.plan, previous.startedAt), options.full === true);
        syncId = this.deps.ids.uuid();
        await store.startSync({
          id: syncId,
          scope: scopeKey(plan.scope.provinces),
          plan: JSON.stringify(plan),
          nextStep: 0,
          nextPage: 1,
          counts,
          startedAt: clock.now(),
          finishedAt: undefined,
        });
      }
      // runs a killed sync fetched but had not written yet
      await this.writePending(counts);
    }

    const summary = async (stopped?: 'budget'): Promise<KopisSyncSummary> => ({
      syncId,
      resumed,
      dryRun: options.dryRun === true,
      from: plan.scope.from,
      to: plan.scope.to,
      scope: scopeKey(plan.scope.provinces),
      afterdate: plan.afterdate,
      steps: plan.steps.length,
      counts,
      calls: client.calls() - callsBefore,
      stopped,
      problems,
      recordProblems: await store.problemCounts(MAX_RECORD_ATTEMPTS),
    });
    const progress = (step: number, page: number) =>
      hooks.progress({ step, steps: plan.steps.length, page, counts: { ...counts }, calls: client.calls() - callsBefore });

    try {
      if (syncId !== undefined) await this.retryProblems(syncId, counts, problems, () => progress(cursor.step, cursor.page));
      for (let s = cursor.step; s < plan.steps.length; s += 1) {
        const step = plan.steps[s]!;
        for (let page = s === cursor.step ? cursor.page : 1; ; page += 1) {
          const items = await client.list({ ...step, cpage: page, rows: PAGE_ROWS }, hooks.signal);
          counts.fetched += items.length;
          await this.handlePage(items, step, syncId, options.dryRun === true, counts, problems, () => progress(s, page));
          const last = items.length < PAGE_ROWS;
          if (syncId !== undefined) {
            await this.writePending(counts);
            cursor = { step: last ? s + 1 : s, page: last ? 1 : page + 1 };
            await store.advance(syncId, cursor.step, cursor.page, counts);
          }
          await progress(s, page);
          if (last) break;
        }
      }
    } catch (err) {
      if (!(err instanceof KopisBudgetExhaustedError)) throw err;
      if (syncId !== undefined) {
        await this.writePending(counts);
        await store.advance(syncId, cursor.step, cursor.page, counts).catch(() => undefined);
      }
      return summary('budget');
    }
    if (syncId !== undefined) await store.finish(syncId, clock.now(), counts);
    return summary();
  }

  private previousOf(planJson: string, startedAt: Date): { scope: SyncScope; startedDay: string } {
    return { scope: (JSON.parse(planJson) as SyncPlan).scope, startedDay: kstDate(startedAt) };
  }

  /**
   * Asks again for the records earlier syncs set aside (fewer than MAX_RECORD_ATTEMPTS failures),
   * with the list item they were listed with: an unchanged record is not listed again by an
   * incremental sync, so this is how a record KOPIS fixed, or a parser fix, gets it written.
   */
  private async retryProblems(syncId: string, counts: SyncCounts, problems: string[], progress: () => Promise<void>): Promise<void> {
    const { store } = this.deps;
    for (;;) {
      // each one tried is marked with this sync (a new failure) or cleared (a success): no repeats
      const due = await store.problemsToRetry(syncId, MAX_RECORD_ATTEMPTS, RETRY_BATCH);
      if (due.length === 0) break;
      const links = await store.links(due.map((p) => p.mt20id));
      for (const p of due) {
        const item = JSON.parse(p.item) as KopisListItem;
        await this.fetchAndStage(item, listHash(item), links.get(p.mt20id), syncId, counts, problems);
        await progress();
      }
    }
    await this.writePending(counts);
  }

  private async handlePage(
    items: KopisListItem[],
    step: SyncStep,
    syncId: string | undefined,
    dryRun: boolean,
    counts: SyncCounts,
    problems: string[],
    progress: () => Promise<void>,
  ): Promise<void> {
    const links = await this.deps.store.links(items.map((i) => i.mt20id));
    for (const item of items) {
      const link = links.get(item.mt20id);
      const hashed = listHash(item);
      // Seen by this sync already (a run spans several windows; or before a crash), or unchanged.
      // A step with afterdate lists only what changed, whatever the list fields say.
      if ((syncId !== undefined && link?.syncId === syncId) || (step.afterdate === undefined && link?.listHash === hashed)) {
        counts.skipped += 1;
        continue;
      }
      if (dryRun) {
        // nothing is staged in a dry run: remember here what an earlier window listed
        if (this.dryRunSeen.has(item.mt20id)) counts.skipped += 1;
        else counts.details += 1;
        this.dryRunSeen.add(item.mt20id);
        continue;
      }
      await this.fetchAndStage(item, hashed, link, syncId!, counts, problems);
      await progress();
    }
  }

  private async fetchAndStage(
    item: KopisListItem,
    hashed: string,
    link: KopisLink | undefined,
    syncId: string,
    counts: SyncCounts,
    problems: string[],
  ) {
    const { client, store, clock } = this.deps;
    const performanceId = link?.performanceId ?? this.deps.ids.objectId();
    const base = { mt20id: item.mt20id, performanceId, listHash: hashed, syncId, at: clock.now() };
    // The record's problem: set aside (kept, retried by later syncs), and the sync goes on.
    // Recorded before the link is staged: a sync killed in between asks for it again on resume.
    const problem = async (reason: string) => {
      counts.errors += 1;
      if (problems.length < MAX_PROBLEMS) problems.push(reason);
      await store.recordProblem({ mt20id: item.mt20id, reason: reason.slice(0, 500), item: JSON.stringify(item), syncId, at: clock.now() });
      await store.stage({ ...base, duplicatekey: link?.duplicatekey ?? null, recordHash: null, pending: null });
    };
    let detail;
    try {
      detail = await client.detail(item.mt20id);
    } catch (err) {
      // one unusable answer does not stop the sync; KOPIS being down or the key refused does
      if (err instanceof KopisFormatError || (err instanceof KopisApiError && err.code !== '02')) return problem(`${item.mt20id}: ${err.message}`);
      throw err;
    }
    counts.details += 1;
    if (!detail) return problem(`${item.mt20id}: KOPIS has no detail for it`);
    let mapped: ReturnType<typeof runOfKopis>;
    try {
      mapped = runOfKopis(performanceId, detail, item);
    } catch (err) {
      return problem(`${item.mt20id}: could not be mapped: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!mapped.ok) return problem(mapped.reason);
    const json = JSON.stringify(mapped.run);
    const recordHash = hash(json);
    const changed = link?.recordHash !== recordHash;
    if (!changed) counts.skipped += 1;
    await store.stage({ ...base, duplicatekey: mapped.run.duplicatekey, recordHash, pending: changed ? json : null });
    await store.clearProblem(item.mt20id);
  }

  /** Writes the runs fetched but not yet written (also those a killed sync left). */
  private async writePending(counts: SyncCounts): Promise<void> {
    for (;;) {
      const batch = await this.deps.store.pending(WRITE_BATCH);
      if (batch.length === 0) return;
      const written = await this.deps.writer.apply(batch.map((b) => JSON.parse(b.run) as Performance));
      counts.inserted += written.inserted;
      counts.updated += written.updated;
      counts.merged += written.merged;
      await this.deps.store.written(batch.map((b) => b.mt20id));
    }
  }
}

function sameScope(a: SyncScope, b: SyncScope): boolean {
  return a.from === b.from && a.to === b.to && scopeKey(a.provinces) === scopeKey(b.provinces);
}
