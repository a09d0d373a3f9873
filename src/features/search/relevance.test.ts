import { describe, expect, it } from 'vitest';
import { evaluateRelevance, evaluateRelevanceAsync, judgedSetProblems, judgeOne, QUERY_CLASSES, type JudgedQuery } from './relevance.js';

const q = (text: string, cls: JudgedQuery['class'], expect: string[]): JudgedQuery => ({ q: text, class: cls, expect });

describe('judgeOne', () => {
  it('takes the rank of the first expected id in the top 10 and the share of expected ids there', () => {
    const o = judgeOne(q('레미', 'prefix', ['b', 'z', 'y']), ['a', 'b', 'c', 'y']);
    expect(o.firstRank).toBe(2);
    expect(o.recall).toBeCloseTo(2 / 3);
    expect(o.top).toEqual(['a', 'b', 'c', 'y']);
  });

  it('counts nothing past the cutoff', () => {
    const ranked = Array.from({ length: 12 }, (_, i) => `id${i}`);
    const o = judgeOne(q('x', 'exact', ['id10', 'id11']), ranked);
    expect(o.firstRank).toBeNull();
    expect(o.recall).toBe(0);
    expect(judgeOne(q('x', 'exact', ['id10']), ranked, 11).firstRank).toBe(11);
  });

  it('counts an id returned twice once', () => {
    expect(judgeOne(q('x', 'exact', ['a', 'b']), ['a', 'a', 'c']).recall).toBe(0.5);
  });
});

describe('evaluateRelevance', () => {
  const queries = [q('a', 'exact', ['1']), q('b', 'exact', ['2', '3']), q('c', 'typo', ['4']), q('d', 'typo', ['5'])];
  const answers: Record<string, string[]> = { a: ['1'], b: ['9', '3'], c: ['8', '7', '4'], d: [] };

  it('means MRR@10 and recall@10 per class and overall, over queries', () => {
    const r = evaluateRelevance(queries, (text) => answers[text] ?? []);
    expect(r.byClass.exact).toEqual({ n: 2, mrr: (1 + 1 / 2) / 2, recall: (1 + 1 / 2) / 2 });
    expect(r.byClass.typo).toEqual({ n: 2, mrr: 1 / 3 / 2, recall: 1 / 2 });
    expect(r.overall.n).toBe(4);
    expect(r.overall.mrr).toBeCloseTo((1 + 0.5 + 1 / 3 + 0) / 4);
    expect(r.overall.recall).toBeCloseTo((1 + 0.5 + 1 + 0) / 4);
    for (const c of QUERY_CLASSES) expect(r.byClass[c]).toBeDefined();
    expect(r.byClass.layout).toEqual({ n: 0, mrr: 0, recall: 0 });
  });

  it('gives the same answer for an asynchronous engine', async () => {
    const sync = evaluateRelevance(queries, (text) => answers[text] ?? []);
    const async = await evaluateRelevanceAsync(queries, (text) => Promise.resolve(answers[text] ?? []));
    expect(async.byClass).toEqual(sync.byClass);
    expect(async.overall).toEqual(sync.overall);
  });
});

describe('judgedSetProblems', () => {
  it('reports unknown classes, empty or unknown expected ids and repeated ids', () => {
    const ids = new Set(['1', '2']);
    expect(judgedSetProblems([{ q: 'a', class: 'exact', expect: ['1'] }], ids)).toEqual([]);
    const problems = judgedSetProblems(
      [
        { q: 'a', class: 'exactly', expect: ['1'] },
        { q: 'b', class: 'typo', expect: [] },
        { q: 'c', class: 'cast', expect: ['3', '1', '1'] },
        { q: ' ', class: 'cast', expect: ['2'] },
        null,
      ],
      ids,
    );
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/unknown class exactly/);
    expect(problems.join('\n')).toMatch(/expected id 3 is not in the catalogue/);
    expect(problems.join('\n')).toMatch(/expected id 1 twice/);
  });
});
