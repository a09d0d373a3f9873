import type { Performance, PerformanceStore } from '../catalog/index.js';
import { daysBetween } from '../../platform/kst.js';
import type { KopisClient } from './kopis.client.js';
import { compactDate } from './kopis-plan.js';
import type { KopisSyncStore } from './kopis-sync.store.js';

export interface BoxofficeRow {
  rank: number;
  mt20id: string;
  title: string;
  /** Our run for it, when the catalogue has one. */
  runId: string | undefined;
  /** Its place in our ranking for the window, if it is in it. */
  ourRank: number | undefined;
}

export interface PopularRow {
  rank: number;
  runId: string;
  title: string;
  views: number;
  /** Its place in KOPIS's box office, if it is in it. */
  kopisRank: number | undefined;
}

export interface BoxofficeComparison {
  from: string;
  to: string;
  /** Our trending window closest to the period (our windows end today). */
  window: '1d' | '7d' | '30d';
  kopis: BoxofficeRow[];
  ours: PopularRow[];
}

export interface BoxofficeDeps {
  client: KopisClient;
  links: Pick<KopisSyncStore, 'links'>;
  performances: Pick<PerformanceStore, 'findByIds' | 'findByDuplicateKeys'>;
  /** Our stored ranking of a window, most viewed first. */
  ranking(window: string): Promise<{ ticket_id: string; views: number }[]>;
}

const windowFor = (days: number): BoxofficeComparison['window'] => (days <= 1 ? '1d' : days <= 7 ? '7d' : '30d');

/** KOPIS's box office (ticket sales) next to our most-viewed runs, to compare the two signals. */
export class KopisBoxofficeService {
  constructor(private readonly deps: BoxofficeDeps) {}

  async compare(from: string, to: string, size = 10): Promise<BoxofficeComparison> {
    const window = windowFor(daysBetween(from, to) + 1);
    const boxoffice = (await this.deps.client.boxoffice({ stdate: compactDate(from), eddate: compactDate(to) })).slice(0, size);
    const ranking = await this.deps.ranking(window);
    const ourRank = new Map(ranking.map((r, i) => [r.ticket_id, i + 1]));
    const runIds = await this.resolve(boxoffice.map((b) => b.mt20id));
    const kopis = boxoffice.map((b) => {
      const runId = runIds.get(b.mt20id);
      return { rank: b.rank, mt20id: b.mt20id, title: b.prfnm ?? b.mt20id, runId, ourRank: runId === undefined ? undefined : ourRank.get(runId) };
    });
    const kopisRank = new Map(kopis.filter((k) => k.runId !== undefined).map((k) => [k.runId!, k.rank]));
    const top = ranking.slice(0, size);
    const titles = new Map((await this.deps.performances.findByIds(top.map((r) => r.ticket_id))).map((p) => [p._id, p.title]));
    const ours = top.map((r, i) => ({
      rank: i + 1,
      runId: r.ticket_id,
      title: titles.get(r.ticket_id) ?? '(not in the catalogue)',
      views: r.views,
      kopisRank: kopisRank.get(r.ticket_id),
    }));
    return { from, to, window, kopis, ours };
  }

  /** mt20id → our run: the id the connector gave it, or the run it merged into (same duplicatekey). */
  private async resolve(mt20ids: string[]): Promise<Map<string, string>> {
    const links = await this.deps.links.links(mt20ids);
    const found = new Set((await this.deps.performances.findByIds([...links.values()].map((l) => l.performanceId))).map((p) => p._id));
    const keys = [...links.values()].filter((l) => !found.has(l.performanceId) && l.duplicatekey !== null).map((l) => l.duplicatekey!);
    const byKey = new Map((await this.deps.performances.findByDuplicateKeys(keys)).map((p: Performance) => [p.duplicatekey, p._id]));
    const out = new Map<string, string>();
    for (const l of links.values()) {
      const id = found.has(l.performanceId) ? l.performanceId : l.duplicatekey === null ? undefined : byKey.get(l.duplicatekey);
      if (id !== undefined) out.set(l.mt20id, id);
    }
    return out;
  }
}
