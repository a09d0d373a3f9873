import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recommendCommand } from '../../cli/recommend.js';
import { loadConfig } from '../../config/config.js';
import { createContainer } from '../../container.js';
import { addDays } from '../../platform/kst.js';
import { makeRun } from '../../test-support/runs.js';
import { viewLogFile, viewLogKey, type ViewEvent } from '../../test-support/view-log-files.js';
import type { Performance } from '../catalog/index.js';

const ENV = { LOG_LEVEL: 'silent', TICKETMOA_DEMO: '0', TICKETMOA_NOW: '2026-11-27T12:00:00+09:00' };
const NOW = Date.parse('2026-11-27T03:00:00Z');
const DAY_MS = 86_400_000;

const run = (id: number, title: string, description: string, more: Partial<Performance> = {}) =>
  makeRun({ _id: `c0ffee000000000000000${id.toString(16).padStart(3, '0')}`, title, description, category: null, ...more });

// Two runs whose texts share nothing, that families view together; starting the same day, each
// is in the other's candidate window.
const jazz = run(1, '재즈 나이트', '색소폰과 콘트라베이스의 스윙 재즈 트리오 라이브', { start_date: '2026.11.20' });
const puppets = run(2, '어린이 인형극', '곰돌이 인형들이 들려주는 숲속 동화 이야기', { start_date: '2026.11.20' });
// Each one's text neighbours, which text alone recommends.
const jazz2 = run(3, '스윙 재즈 트리오', '콘트라베이스 색소폰 재즈 스윙 라이브 클럽', { start_date: '2026.12.03' });
const jazz3 = run(4, '재즈 색소폰 콘서트', '색소폰 재즈 트리오 라이브 스윙 무대', { start_date: '2026.12.04' });
const puppets2 = run(5, '인형극 숲속 동화', '곰돌이 인형 동화 이야기 어린이 공연', { start_date: '2026.12.05' });
const puppets3 = run(6, '동화 인형극 곰돌이', '숲속 곰돌이 인형들의 동화 어린이 무대', { start_date: '2026.12.06' });
// A blockbuster everyone views.
const blockbuster = run(7, '오페라의 유령', '오리지널 내한 뮤지컬 대작 오케스트라 샹들리에', { start_date: '2026.11.25' });
// Runs without any view: they keep their text recommendations.
const ballet = run(8, '호두까기 인형 발레', '차이콥스키 발레 호두까기 크리스마스 무용수', { start_date: '2026.12.10' });
const ballet2 = run(9, '크리스마스 발레 호두까기', '차이콥스키 호두까기 발레단 무용수 크리스마스 무대', { start_date: '2026.12.12' });
const ballet3 = run(10, '발레 갈라 차이콥스키', '발레 무용수 갈라 차이콥스키 크리스마스', { start_date: '2026.12.14' });
// Co-viewed with the jazz night, but never a recommendation of it.
const otherRegion = run(11, '부산 불꽃 축제', '해운대 불꽃 놀이 야경 축제', { start_date: '2026.12.01', region: '경상' });
const ended = run(12, '가을 국악 한마당', '가야금 해금 판소리 전통 공연', { start_date: '2026.11.21', end_date: '2026.11.22' });
const jazzElsewhere = run(13, '재즈 나이트', '색소폰과 콘트라베이스의 스윙 재즈 트리오 라이브', {
  start_date: '2026.11.28',
  location: '세종문화회관',
});
const tooLate = run(14, '봄 마술 쇼', '마술사 카드 마술 환상 무대 마술 쇼', { start_date: '2027.03.01' });
// Viewed with the jazz night by anonymous visitors only, or long ago.
const anonymousOnly = run(15, '마라톤 대회', '한강 마라톤 달리기 완주 메달', { start_date: '2026.12.08' });
const longAgo = run(16, '서예 전시', '붓글씨 먹 한지 서예가 작품 전시', { start_date: '2026.12.09' });

const RUNS = [
  jazz,
  puppets,
  jazz2,
  jazz3,
  puppets2,
  puppets3,
  blockbuster,
  ballet,
  ballet2,
  ballet3,
  otherRegion,
  ended,
  jazzElsewhere,
  tooLate,
  anonymousOnly,
  longAgo,
];

function viewLog(): ViewEvent[] {
  const events: ViewEvent[] = [];
  const view = (user: string | undefined, r: Performance, daysAgo: number) =>
    events.push({ event_id: `e${events.length}`, ticket_id: r._id, timestamp: NOW - daysAgo * DAY_MS, user_id: user });
  // 12 families view the jazz night and the puppet show (and the blockbuster, like everyone)
  for (let u = 0; u < 12; u += 1) {
    view(`family${u}`, jazz, 10 + u);
    view(`family${u}`, puppets, 9 + u);
    view(`family${u}`, blockbuster, 8 + u);
    for (const r of [otherRegion, ended, jazzElsewhere, tooLate]) view(`family${u}`, r, 5);
  }
  // 40 more people view the blockbuster, some of them also one other run
  for (let u = 0; u < 40; u += 1) {
    view(`fan${u}`, blockbuster, u % 30);
    view(`fan${u}`, [jazz2, jazz3, puppets2, puppets3][u % 4]!, u % 30);
  }
  // anonymous visitors cannot be told apart: 30 views each must not make a pair
  for (let k = 0; k < 30; k += 1) {
    view(undefined, jazz, k);
    view(undefined, anonymousOnly, k);
  }
  // older than the 90-day window
  for (let u = 0; u < 12; u += 1) {
    view(`old${u}`, jazz, 100);
    view(`old${u}`, longAgo, 100);
  }
  return events;
}

describe('ticketmoa recommend with co-views from the lake', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-coviews-'));
    vi.stubEnv('TICKETMOA_DATA_DIR', dataDir);
    for (const [k, v] of Object.entries(ENV)) vi.stubEnv(k, v);
    const container = await createContainer(loadConfig({ TICKETMOA_DATA_DIR: dataDir, ...ENV }));
    await container.stores.performances.upsertMany(RUNS);
    // the lake LAKE_URL names (a local folder under the data dir), as the sink writes it
    const events = viewLog();
    const half = Math.floor(events.length / 2);
    await container.lake.put(viewLogKey('a'), viewLogFile(events.slice(0, half)));
    await container.lake.put(viewLogKey('b'), viewLogFile(events.slice(half)));
    await container.close();
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const listsAfterRecommend = async () => {
    expect(await recommendCommand.run([], { parseArgs })).toBe(0);
    const container = await createContainer(loadConfig({ TICKETMOA_DATA_DIR: dataDir, ...ENV }));
    try {
      const lists = new Map<string, string[]>();
      for (const r of RUNS) lists.set(r._id, (await container.stores.recommendations.get(r._id)) ?? []);
      return lists;
    } finally {
      await container.close();
    }
  };

  it('when many of the same signed-in users view two runs with unrelated texts, then each recommends the other first, above the blockbuster everyone views', async () => {
    const lists = await listsAfterRecommend();
    const forJazz = lists.get(jazz._id)!;
    expect(forJazz[0]).toBe(puppets._id);
    expect(lists.get(puppets._id)![0]).toBe(jazz._id);
    expect(forJazz.indexOf(blockbuster._id)).not.toBe(0);
    expect(lists.get(puppets._id)!.indexOf(blockbuster._id)).not.toBe(0);
  });

  it('when a run has no views, then it keeps its text recommendations', async () => {
    const lists = await listsAfterRecommend();
    expect(lists.get(ballet._id)!.slice(0, 2)).toEqual([ballet2._id, ballet3._id]);
  });

  it('when runs are co-viewed only by anonymous visitors, only long ago, or break a constraint, then they are never recommended', async () => {
    const lists = await listsAfterRecommend();
    const forJazz = lists.get(jazz._id)!;
    for (const never of [anonymousOnly, longAgo, otherRegion, ended, jazzElsewhere, tooLate, jazz]) expect(forJazz).not.toContain(never._id);
    const byId = new Map(RUNS.map((r) => [r._id, r]));
    for (const [id, list] of lists) {
      const self = byId.get(id)!;
      expect(list.length).toBeLessThanOrEqual(3);
      for (const other of list.map((o) => byId.get(o)!)) {
        expect(other._id).not.toBe(id);
        expect(other.region).toBe(self.region);
        expect(other.start_date >= self.start_date && other.start_date <= addDays(self.start_date, 90)).toBe(true);
        expect(other.end_date >= '2026.11.27').toBe(true);
      }
    }
  });
});
