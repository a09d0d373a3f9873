/**
 * Build time, memory and latency of the search index at 50,000 runs (not a test: numbers to read).
 * Run: `npm run build && node dist/features/search/search-index.measure.js [runs]`.
 */
import { CONTEXT, params, seededDocs } from './search-index.fixtures.js';
import { buildSearchIndex } from './search-index.js';
import type { SearchParams } from './search-types.js';

const runs = Number(process.argv[2] ?? 50_000);
const docs = seededDocs(runs);
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const before = process.memoryUsage();
let t0 = performance.now();
const index = await buildSearchIndex(docs);
const buildMs = performance.now() - t0;
gc?.();
const after = process.memoryUsage();
const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
console.log(
  `runs ${runs}: build ${buildMs.toFixed(0)} ms; heap +${mb(after.heapUsed - before.heapUsed)} MB, rss +${mb(after.rss - before.rss)} MB (array buffers +${mb(after.arrayBuffers - before.arrayBuffers)} MB)`,
);

// queries by class, drawn from the catalogue itself so that they mean something
const pick = (i: number) => docs[(i * 7919) % docs.length]!;
const core = (title: string) => /〈([^〉]+)〉/.exec(title)?.[1] ?? title.split(' ')[0]!;
const classes: Record<string, string[]> = {
  browse: [''],
  exact: ['레미제라블', '오페라의 유령'],
  word: Array.from({ length: 40 }, (_, i) => core(pick(i).title)),
  nospace: Array.from({ length: 40 }, (_, i) => core(pick(i).title).replaceAll(' ', '')),
  choseong: ['ㄹㅁㅈㄹㅂ', 'ㅇㅇㅇ', 'ㅅㅈㅁㅎㅎㄱ', 'ㄷㅎㄹ'],
  mid: ['레미제랍', '아이ㅇ', '세종문화회곽', '콘서'],
  layout: ['fpalwpfkqmf', 'dkdldb', 'tpwhdansghkghlrhks'],
  typo: ['레마제라블', '오패라의 유령', '세종문화회괸', '예술의잔당'],
  person: Array.from({ length: 40 }, (_, i) => pick(i).artists[0] ?? pick(i).cast[0] ?? '아이유'),
  multi: ['BTS 콘서트', '서울 뮤지컬', '아이유 콘서트 서울'],
  filtered: ['콘서트'],
};
const quantile = (xs: number[], q: number) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
/** Wall-clock times; CPU times (µs resolution) go to `cpu`: on a shared machine they leave out time the process was not running. */
const cpu: number[] = [];
const time = (f: () => unknown, n: number) => {
  const xs: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const c0 = process.cpuUsage();
    t0 = performance.now();
    f();
    xs.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return xs;
};
const line = (name: string, xs: number[]) => {
  const c = cpu.splice(0);
  return `${name} wall p50 ${quantile(xs, 0.5).toFixed(3)} p99 ${quantile(xs, 0.99).toFixed(3)} ms | cpu p50 ${quantile(c, 0.5).toFixed(3)} p99 ${quantile(c, 0.99).toFixed(3)} ms`;
};
index.search(params('x'), CONTEXT); // the day's orders
cpu.length = 0;
const allSearch: number[] = [];
const allSearchCpu: number[] = [];
for (const [name, qs] of Object.entries(classes)) {
  const all: number[] = [];
  let totals = 0;
  for (const q of qs) {
    const p: SearchParams = name === 'filtered' ? params(q, { regions: ['서울'], categories: ['뮤지컬/연극', '콘서트'], onSale: true }) : params(q);
    totals += index.search(p, CONTEXT).total;
    all.push(...time(() => index.search(p, CONTEXT), Math.ceil(400 / qs.length)));
  }
  allSearch.push(...all);
  allSearchCpu.push(...cpu);
  console.log(`${line(`search ${name.padEnd(9)}`, all)}  (mean total ${(totals / qs.length).toFixed(0)})`);
}
cpu.push(...allSearchCpu);
console.log(line('search, every class', allSearch));
const page50 = time(() => index.search(params('콘서트', { page: 50 }), CONTEXT), 200);
console.log(line('search 콘서트 page 50', page50));
const sugg = ['ㄹ', '레', '레미', '레미제랍', 'ㄹㅁㅈ', 'ㅇㅇㅇ', '아이', '세종', 'fpalw', 'dkdl', '뮤', '뮤지컬', '콘서트', 'b', 'bts'];
const allSuggest: number[] = [];
const allSuggestCpu: number[] = [];
for (const q of sugg) {
  const xs = time(() => index.suggest(q, 8), 300);
  allSuggest.push(...xs);
  allSuggestCpu.push(...cpu);
  const shown = index
    .suggest(q, 3)
    .map((s) => s.text)
    .join(' | ');
  console.log(`${line(`suggest ${q.padEnd(8)}`, xs)}  → ${shown}`);
}
cpu.push(...allSuggestCpu);
console.log(line('suggest, every query', allSuggest));
