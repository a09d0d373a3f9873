import { afterEach, describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../platform/kst.js';
import { billionLaughsDetail, oversizedEntityDetail } from '../../test-support/fake-kopis.js';
import { kopisHarness } from '../../test-support/kopis-harness.js';
import { FIXTURE_TODAY, generatedKopisRuns, kopisFixtureRuns, type FakeKopisRun } from '../../test-support/kopis-fixtures.js';
import { makeRun } from '../../test-support/runs.js';

type Harness = Awaited<ReturnType<typeof kopisHarness>>;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const LAST_DAY = addDays(FIXTURE_TODAY, 89);
const inRange = (runs: FakeKopisRun[], to = LAST_DAY) => runs.filter((r) => r.prfpdfrom <= to && r.prfpdto >= FIXTURE_TODAY);
const dotted = (c: string) => `${c.slice(0, 4)}.${c.slice(4, 6)}.${c.slice(6)}`;
const detailsOf = (x: Harness) => x.fake.requests.filter((r) => r.path.startsWith('/pblprfr/')).map((r) => r.path.slice('/pblprfr/'.length));

describe('KOPIS sync against a fake KOPIS', () => {
  it('when the first sync runs, then the fixture set is loaded: one run per KOPIS performance playing in the next 90 days', async () => {
    const fixtures = kopisFixtureRuns();
    h = await kopisHarness(fixtures);
    const expected = inRange(fixtures);
    expect(fixtures.length).toBeGreaterThanOrEqual(50);
    expect(expected.length).toBeGreaterThan(40);

    const s = await h.sync();

    expect(s.counts).toMatchObject({ inserted: expected.length, updated: 0, errors: 0, details: expected.length });
    expect(await h.performances.count()).toBe(expected.length);
    // one detail call per performance, although long runs are listed in several windows
    expect(detailsOf(h).sort()).toEqual(expected.map((r) => r.mt20id).sort());
    const lists = h.fake.requests.filter((r) => r.path === '/pblprfr');
    expect(lists.length).toBe(3);
    for (const l of lists) {
      expect(l.params.rows).toBe('100');
      expect(daysBetween(dotted(l.params.stdate!), dotted(l.params.eddate!))).toBeLessThanOrEqual(30);
      expect(l.acceptEncoding).toMatch(/gzip/);
    }
    expect(s.calls).toBe(h.fake.calls('all'));

    const [byKopis] = await h.performances.findByDuplicateKeys(['난타상설공연2025.01.01']);
    expect(byKopis).toMatchObject({ end_date: '상시공연' });
    const [kids] = await h.performances.findByDuplicateKeys([`꼬마버스타요뮤지컬${fixtures[8]!.prfpdfrom}`]);
    expect(kids?.category).toBe('아동/가족');
    const [weekdays] = await h.performances.findByDuplicateKeys(['평일의콘서트2026.11.01']);
    expect(weekdays?.schedule).toBe('화요일 ~ 금요일(19:30)');
    expect(await h.performances.findByDuplicateKeys(['지난공연2026.09.01'])).toEqual([]);
  });

  it('when a second sync runs the next day, then only the changes are fetched and applied, in place', async () => {
    const fixtures = kopisFixtureRuns();
    h = await kopisHarness(fixtures);
    await h.sync();
    const before = h.fake.requests.length;

    // three performances change (price, cast, title) and two are registered
    const changed = inRange(fixtures).slice(0, 3);
    changed[0]!.pcseguidance = '전석 55,000원';
    changed[1]!.prfcast = '새배우';
    changed[2]!.prfnm = `${changed[2]!.prfnm} (앙코르)`;
    for (const r of changed) r.updatedate = '2026-11-25 18:00:00';
    const fresh = generatedKopisRuns(2, 99).map((r, i) => ({
      ...r,
      mt20id: `PF9${i}0000`,
      prfpdfrom: '2026.12.05',
      prfpdto: '2026.12.20',
      frstregdt: '2026-11-26 09:00:00',
    }));
    h.fake.runs.push(...fresh);
    const linkBefore = (await h.store.links([changed[2]!.mt20id])).get(changed[2]!.mt20id)!;
    h.clock.set('2026-11-26T10:00:00+09:00');

    const s = await h.sync();

    const requests = h.fake.requests.slice(before);
    const details = requests.filter((r) => r.path.startsWith('/pblprfr/')).map((r) => r.path.slice(9));
    expect(details.sort()).toEqual([...changed, ...fresh].map((r) => r.mt20id).sort());
    expect(s.afterdate).toBe('20261125');
    expect(s.counts).toMatchObject({ inserted: 2, updated: 3, errors: 0 });
    // afterdate windows over the dates both syncs cover; the one new day in full
    const lists = requests.filter((r) => r.path === '/pblprfr');
    expect(lists.filter((l) => l.params.afterdate === '20261125')).toHaveLength(3);
    expect(lists.filter((l) => l.params.afterdate === undefined).map((l) => [l.params.stdate, l.params.eddate])).toEqual([['20270223', '20270223']]);
    const [renamed] = await h.performances.findByIds([linkBefore.performanceId]);
    expect(renamed?.title).toBe(changed[2]!.prfnm);
    expect(await h.performances.count()).toBe(inRange(fixtures, '2027.02.23').length);
  });

  it('when a window holds more than a page, then pages of 100 are read until a short (or empty) page', async () => {
    const runs = generatedKopisRuns(200).map((r) => ({ ...r, prfpdfrom: '2026.12.01', prfpdto: '2026.12.02' }));
    h = await kopisHarness(runs);
    await h.sync({ from: '2026.12.01', to: '2026.12.02' });
    const pages = h.fake.requests.filter((r) => r.path === '/pblprfr').map((r) => r.params.cpage);
    expect(pages).toEqual(['1', '2', '3']);
    expect(await h.performances.count()).toBe(200);
  });

  it('when KOPIS already has a run a vendor file brought (same title and start), then they merge keeping every vendor', async () => {
    const fixtures = kopisFixtureRuns().slice(0, 12);
    h = await kopisHarness(fixtures);
    const target = inRange(fixtures)[0]!;
    const vendorRun = makeRun({
      _id: 'fe0000000000000000000001',
      title: target.prfnm,
      start_date: target.prfpdfrom,
      hosts: [{ site_id: 3, ticket_url: 'https://www.ticketlink.co.kr/product/1' }],
    });
    await h.importService.apply([vendorRun]);

    const s = await h.sync();

    expect(s.counts.merged).toBe(1);
    const [merged] = await h.performances.findByIds([vendorRun._id]);
    expect(merged!.hosts.map((x) => x.site_id)).toEqual(expect.arrayContaining([3]));
    expect(merged!.hosts.length).toBeGreaterThan(1);
    expect(await h.performances.count()).toBe(inRange(fixtures).length);
    // a second full sync does not add the run again
    await h.sync({ full: true });
    expect(await h.performances.count()).toBe(inRange(fixtures).length);
  });

  it('when KOPIS fails with 503s, a DB error, an HTML page in between and a call that hangs, then retries carry the sync through', async () => {
    const fixtures = kopisFixtureRuns().slice(0, 10);
    h = await kopisHarness(fixtures, { timeoutMs: 300, retries: 4 });
    h.fake.failNext('503', 2);
    h.fake.failNext('hang');
    h.fake.failNext('db-error');
    const s = await h.sync();
    expect(s.counts.errors).toBe(0);
    expect(await h.performances.count()).toBe(inRange(fixtures).length);
    expect(h.timer.sleeps.filter((ms) => ms >= 1000)).toEqual([1000, 2000, 4000, 8000]);

    // a maintenance page is retried; a performance whose detail is gone is one error, not the end of the sync
    h.fake.runs[0]!.updatedate = '2026-11-26 10:00:00';
    h.fake.runs[1]!.updatedate = '2026-11-26 10:00:00';
    h.fake.emptyDetails.add(h.fake.runs[1]!.mt20id);
    h.clock.set('2026-11-27T10:00:00+09:00');
    h.fake.failNext('html');
    const again = await h.sync();
    expect(again.counts.errors).toBe(1);
    expect(again.problems).toEqual([`${h.fake.runs[1]!.mt20id}: KOPIS has no detail for it`]);
    expect(h.fake.requests.at(-1)).toBeDefined();
  });

  it('when one detail on a page is an XML bomb and another declares an oversized entity, then only those two fail: the rest of the page is written and the sync finishes', async () => {
    const fixtures = kopisFixtureRuns();
    h = await kopisHarness(fixtures, { retries: 4 });
    const expected = inRange(fixtures);
    const [bomb, big] = [expected[1]!.mt20id, expected[4]!.mt20id];
    h.fake.detailBodies.set(bomb, billionLaughsDetail(bomb));
    h.fake.detailBodies.set(big, oversizedEntityDetail(big));

    const s = await h.sync();

    expect(s.counts.errors).toBe(2);
    expect(s.recordProblems).toEqual({ open: 2, givenUp: 0 });
    expect(s.problems).toEqual([expect.stringMatching(new RegExp(`^${bomb}: .*DOCTYPE`)), expect.stringMatching(new RegExp(`^${big}: .*DOCTYPE`))]);
    expect(await h.performances.count()).toBe(expected.length - 2);
    expect(await h.store.openSync()).toBeUndefined();
    // refused at once: a hostile answer would come back the same, so it is not asked again in this sync
    expect(detailsOf(h).filter((id) => id === bomb || id === big)).toEqual([bomb, big]);
    expect(h.timer.sleeps.filter((ms) => ms >= 1000)).toEqual([]);
    const rows = await h.store.problemsToRetry('another sync', 5, 10);
    expect(rows.map((r) => [r.mt20id, r.attempts])).toEqual([
      [bomb, 1],
      [big, 1],
    ]);
    expect(JSON.parse(rows[0]!.item)).toMatchObject({ mt20id: bomb, prfnm: expected[1]!.prfnm });
  });

  it('when records were set aside, then later syncs ask for them again until they read fine (written, problem cleared) or five attempts are spent', async () => {
    const fixtures = kopisFixtureRuns();
    h = await kopisHarness(fixtures);
    const expected = inRange(fixtures);
    const [fixed, hopeless] = [expected[2]!.mt20id, expected[3]!.mt20id];
    h.fake.detailBodies.set(fixed, billionLaughsDetail(fixed));
    h.fake.detailBodies.set(hopeless, billionLaughsDetail(hopeless));
    await h.sync();
    const asked = (id: string) => detailsOf(h!).filter((d) => d === id).length;

    h.clock.set('2026-11-26T10:00:00+09:00');
    const second = await h.sync();
    // nothing changed at KOPIS: the incremental listing does not bring them, the retry does
    expect([asked(fixed), asked(hopeless)]).toEqual([2, 2]);
    expect(second.recordProblems).toEqual({ open: 2, givenUp: 0 });
    expect(second.counts.errors).toBe(2);

    h.fake.detailBodies.delete(fixed);
    h.clock.set('2026-11-27T10:00:00+09:00');
    const third = await h.sync();
    expect(third.counts).toMatchObject({ inserted: 1, errors: 1 });
    expect(await h.performances.count()).toBe(expected.length - 1);
    expect(third.recordProblems).toEqual({ open: 1, givenUp: 0 });
    expect((await h.store.problemsToRetry('another sync', 99, 10)).map((p) => p.mt20id)).toEqual([hopeless]);

    for (const day of [28, 29]) {
      h.clock.set(`2026-11-${day}T10:00:00+09:00`);
      await h.sync();
    }
    expect(asked(hopeless)).toBe(5);
    h.clock.set('2026-11-30T10:00:00+09:00');
    const afterCap = await h.sync();
    expect(asked(hopeless)).toBe(5);
    expect(afterCap.recordProblems).toEqual({ open: 0, givenUp: 1 });
    expect(asked(fixed)).toBe(3);

    // KOPIS changes the record: listed again, it gets a fresh try and now reads fine
    h.fake.detailBodies.delete(hopeless);
    h.fake.runs.find((r) => r.mt20id === hopeless)!.updatedate = '2026-12-01 09:00:00';
    h.clock.set('2026-12-01T10:00:00+09:00');
    const changed = await h.sync();
    expect(asked(hopeless)).toBe(6);
    expect(changed.recordProblems).toEqual({ open: 0, givenUp: 0 });
    expect(await h.performances.count()).toBe(inRange(fixtures, '2027.02.28').length);
  });

  it("when the day's call budget runs out, then the sync stops cleanly and the next day's run resumes without fetching anything twice", async () => {
    const fixtures = kopisFixtureRuns();
    h = await kopisHarness(fixtures, { dailyBudget: 20 });
    const first = await h.sync();
    expect(first.stopped).toBe('budget');
    expect(h.fake.calls('all')).toBe(20);
    const written = await h.performances.count();
    expect(written).toBeGreaterThan(0);

    h.clock.set('2026-11-26T10:00:00+09:00');
    let last = first;
    for (let day = 0; day < 10 && last.stopped === 'budget'; day += 1) {
      h.clock.set(`2026-11-${26 + day}T10:00:00+09:00`);
      last = await h.sync();
      expect(last.resumed).toBe(true);
    }
    expect(last.stopped).toBeUndefined();
    const details = detailsOf(h);
    expect(new Set(details).size).toBe(details.length);
    expect(await h.performances.count()).toBe(inRange(fixtures).length);
  });

  it('when a dry run is asked, then lists are read and nothing is fetched or written', async () => {
    const fixtures = kopisFixtureRuns();
    h = await kopisHarness(fixtures);
    const s = await h.sync({ dryRun: true });
    expect(s.counts.details).toBe(inRange(fixtures).length);
    expect(h.fake.calls('detail')).toBe(0);
    expect(await h.performances.count()).toBe(0);
    expect(await h.store.openSync()).toBeUndefined();
  });

  it('when a region is asked, then one call per province code of it is made and only its runs come', async () => {
    const fixtures = kopisFixtureRuns();
    h = await kopisHarness(fixtures);
    await h.sync({ from: FIXTURE_TODAY, to: addDays(FIXTURE_TODAY, 30), provinces: ['28', '41'] });
    const codes = h.fake.requests.filter((r) => r.path === '/pblprfr').map((r) => r.params.signgucode);
    expect(codes).toEqual(['28', '41']);
    const regions = (await h.performances.summaries()).map((p) => p.region);
    expect(regions.length).toBeGreaterThan(0);
    expect(new Set(regions)).toEqual(new Set(['수도권']));
  });
});
