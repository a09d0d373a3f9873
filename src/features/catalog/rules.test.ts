import { describe, expect, it } from 'vitest';
import { OPEN_RUN, summarize } from './performance.js';
import { categoryMatches, isCurrent, isExclusive, isOnSale, overlaps } from './rules.js';
import { makeRun } from '../../test-support/runs.js';

const today = '2026.11.27';

describe('catalogue rules', () => {
  it('when a run ends today, then it is still current and on sale', () => {
    const run = summarize(makeRun({ end_date: today }));
    expect(isCurrent(run, today)).toBe(true);
    expect(isOnSale(run, today)).toBe(true);
  });

  it('when a run ended yesterday, then it is neither current nor on sale', () => {
    const run = summarize(makeRun({ start_date: '2026.11.01', end_date: '2026.11.26' }));
    expect(isCurrent(run, today)).toBe(false);
    expect(isOnSale(run, today)).toBe(false);
  });

  it('when a run is an open run, then it is current however old', () => {
    const run = summarize(makeRun({ start_date: '2019.01.01', end_date: OPEN_RUN }));
    expect(isCurrent(run, today)).toBe(true);
    expect(isOnSale(run, today)).toBe(true);
  });

  it('when no host has a ticket URL, then the run is not on sale', () => {
    const run = summarize(makeRun({ hosts: [{ site_id: 2, ticket_url: null }] }));
    expect(isOnSale(run, today)).toBe(false);
  });

  it('counts a run as exclusive only with exactly one vendor', () => {
    expect(isExclusive(summarize(makeRun({ hosts: [{ site_id: 3, ticket_url: 'u' }] })))).toBe(true);
    const two = makeRun({
      hosts: [
        { site_id: 1, ticket_url: 'a' },
        { site_id: 2, ticket_url: 'b' },
      ],
    });
    expect(isExclusive(summarize(two))).toBe(false);
    expect(isExclusive(summarize(makeRun({ hosts: [] })))).toBe(false);
  });

  it('matches date ranges by overlap, open runs from their start on', () => {
    const run = { start_date: '2026.11.20', end_date: '2026.11.30' };
    expect(overlaps(run, '2026.11.28', '2026.11.29')).toBe(true);
    expect(overlaps(run, '2026.11.01', '2026.11.20')).toBe(true);
    expect(overlaps(run, '2026.11.30', undefined)).toBe(true);
    expect(overlaps(run, '2026.12.01', undefined)).toBe(false);
    expect(overlaps(run, undefined, '2026.11.19')).toBe(false);
    const open = { start_date: '2026.11.20', end_date: OPEN_RUN };
    expect(overlaps(open, '2030.01.01', '2030.01.02')).toBe(true);
    expect(overlaps(open, '2026.11.01', '2026.11.19')).toBe(false);
  });

  it('lets 뮤지컬/연극 match musicals, plays and the combined label only', () => {
    expect(categoryMatches('뮤지컬', '뮤지컬/연극')).toBe(true);
    expect(categoryMatches('연극', '뮤지컬/연극')).toBe(true);
    expect(categoryMatches('뮤지컬/연극', '뮤지컬/연극')).toBe(true);
    expect(categoryMatches('콘서트', '뮤지컬/연극')).toBe(false);
    expect(categoryMatches('뮤지컬', '뮤지컬')).toBe(true);
    expect(categoryMatches('연극', '뮤지컬')).toBe(false);
  });
});
