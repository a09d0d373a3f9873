import { describe, expect, it } from 'vitest';
import { coViewIndex, llr, scorer, type CoViewRun } from './co-views.js';
import { rankSimilarRuns, type SimilarityDoc } from './similarity-engine.js';
import type { ViewRecord } from './view-history.js';

const run = (id: string, start = '2026.12.01', region: string | null = '서울'): CoViewRun => ({ id, region, start_date: start });

async function* once(views: ViewRecord[]): AsyncIterable<readonly ViewRecord[]> {
  yield views;
  await Promise.resolve();
}

/** Each viewer views the given runs, one minute apart, in order. */
function views(byViewer: Record<string, string[]>): ViewRecord[] {
  const out: ViewRecord[] = [];
  for (const [viewer, runs] of Object.entries(byViewer)) runs.forEach((runId, k) => out.push({ viewer, runId, at: k * 60_000 }));
  return out;
}

const many = (n: number, prefix: string, runs: string[]) => Object.fromEntries(Array.from({ length: n }, (_, u) => [`${prefix}${u}`, runs]));

describe('co-view index', () => {
  it('when a run everyone views is co-viewed with everything, then a pair viewed by the same few people scores higher', async () => {
    const runs = [run('a'), run('b'), run('hit'), run('x')];
    const index = await coViewIndex(runs, once(views({ ...many(8, 'pair', ['a', 'b', 'hit']), ...many(60, 'fan', ['hit', 'x']) })));
    const forA = index.neighbours.get('a')!;
    expect(forA.map((n) => n.id)).toEqual(['b', 'hit']);
    expect(forA[0]!.common).toBe(8);
    expect(forA[0]!.score).toBeGreaterThan(forA[1]!.score);
    expect(index.viewers).toBe(68);
  });

  it('when runs could never recommend each other (another region, starts over 90 days apart), then their pair is not counted', async () => {
    const runs = [run('a'), run('busan', '2026.12.01', '경상'), run('late', '2027.03.02'), run('in', '2027.03.01')];
    const index = await coViewIndex(runs, once(views(many(5, 'u', ['a', 'busan', 'late', 'in']))));
    expect(index.neighbours.get('a')!.map((n) => n.id)).toEqual(['in']);
    expect(index.neighbours.get('busan')).toBeUndefined();
  });

  it('when a viewer views more runs than the history keeps, then only their latest distinct runs pair up', async () => {
    const runs = ['r1', 'r2', 'r3', 'r4', 'r5'].map((id) => run(id));
    const index = await coViewIndex(runs, once(views({ u: ['r1', 'r2', 'r3', 'r3', 'r4', 'r5', 'r4'] })), { params: { historyPerViewer: 3 } });
    expect([...index.neighbours.keys()].sort()).toEqual(['r3', 'r4', 'r5']);
    expect(index.views).toBe(7);
  });

  it('when there are more pairs than the table holds, then the rarest are pruned and the strong pairs survive', async () => {
    const runs = Array.from({ length: 40 }, (_, i) => run(`r${i}`));
    const noise: Record<string, string[]> = {};
    for (let i = 2; i < 40; i += 1) for (let j = i + 1; j < 40; j += 1) noise[`n${i}-${j}`] = [`r${i}`, `r${j}`];
    const index = await coViewIndex(runs, once(views({ ...many(20, 'strong', ['r0', 'r1']), ...noise })), { params: { maxPairs: 50 } });
    expect(index.prunedBelow).toBeGreaterThan(0);
    expect(index.pairs).toBeLessThanOrEqual(50);
    expect(index.neighbours.get('r0')![0]).toMatchObject({ id: 'r1', common: 20 });
  });

  it('when a run has more co-viewed runs than the cap, then only the strongest are kept', async () => {
    const runs = Array.from({ length: 10 }, (_, i) => run(`r${i}`));
    const byViewer: Record<string, string[]> = {};
    for (let i = 1; i < 10; i += 1) for (let u = 0; u < i; u += 1) byViewer[`v${i}-${u}`] = ['r0', `r${i}`];
    const index = await coViewIndex(runs, once(views(byViewer)), { params: { neighboursPerRun: 3, measure: 'jaccard' } });
    expect(index.neighbours.get('r0')!.map((n) => n.id)).toEqual(['r9', 'r8', 'r7']);
  });

  it('when two runs are independent, then lift and the log-likelihood ratio give nothing; when they go together, both are positive', () => {
    expect(scorer('lift', 100)(25, 50, 50)).toBe(0);
    expect(llr(25, 25, 25, 25)).toBeCloseTo(0, 9);
    expect(scorer('llr', 100)(40, 50, 50)).toBeGreaterThan(0.5);
    expect(scorer('cosine', 100)(4, 4, 16)).toBeCloseTo(0.5, 9);
  });
});

describe('blend of text and co-views', () => {
  const doc = (id: string, text: string, start = '2026.12.01', region: string | null = '서울', current = true): SimilarityDoc => ({
    id,
    region,
    start_date: start,
    text,
    current,
  });
  const JAZZ = '스윙 재즈 트리오 색소폰 콘트라베이스 라이브 클럽';
  const JAZZ2 = '재즈 트리오 색소폰 스윙 라이브 무대';
  const JAZZ3 = '색소폰 재즈 콘트라베이스 스윙 공연';
  const PUPPETS = '어린이 인형극 곰돌이 숲속 동화';
  const docs = [doc('jazz', JAZZ), doc('jazz2', JAZZ2, '2026.12.02'), doc('jazz3', JAZZ3, '2026.12.03'), doc('puppets', PUPPETS, '2026.12.04')];
  const neighbours = (common: number) => new Map([['jazz', [{ id: 'puppets', common, score: 0.9 }]]]);

  it('when co-view evidence is thin (one common viewer), then text decides', async () => {
    const lists = await rankSimilarRuns(docs, { coViews: neighbours(1) });
    expect(lists.get('jazz')!.map((s) => s.id)).toEqual(['jazz2', 'jazz3', 'puppets']);
    expect(lists.get('jazz')!.every((s) => s.reason === 'text')).toBe(true);
  });

  it('when co-view evidence is strong, then the co-viewed run leads even with nothing in common in its text', async () => {
    const lists = await rankSimilarRuns(docs, { coViews: neighbours(30) });
    expect(lists.get('jazz')![0]).toEqual({ id: 'puppets', reason: 'co-views' });
  });

  it('when a co-viewed run is in another region, has ended, or is a near-duplicate, then it is still never recommended', async () => {
    const withBad = [
      ...docs,
      doc('busan', PUPPETS, '2026.12.04', '경상'),
      doc('ended', PUPPETS, '2026.12.05', '서울', false),
      doc('jazz-again', JAZZ, '2026.12.06'),
    ];
    const coViews = new Map([['jazz', ['busan', 'ended', 'jazz-again'].map((id) => ({ id, common: 50, score: 1 }))]]);
    const list = (await rankSimilarRuns(withBad, { coViews })).get('jazz')!.map((s) => s.id);
    expect(list).toEqual(['jazz2', 'jazz3', 'puppets']);
  });
});
