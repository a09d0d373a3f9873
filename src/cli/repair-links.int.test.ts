import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestService } from '../test-support/app.js';
import { makeRun } from '../test-support/runs.js';
import type { CommandIo } from './import.js';
import { createRepairLinksCommand } from './repair-links.js';

const NOW = '2026-11-27T10:00:00+09:00';
const POISONED = makeRun({
  _id: 'cccccccccccccccccccc0001',
  title: '링크가 나쁜 공연',
  start_date: '2026.11.20',
  end_date: '2026.12.31',
  poster_url: 'javascript:alert(document.cookie)',
  artist: [{ artist_name: '아이유', artist_url: 'data:text/html,<script>alert(1)</script>' }],
  hosts: [
    { site_id: 1, ticket_url: 'https://tickets.example.com/1' },
    { site_id: 2, ticket_url: 'javascript:alert(2)' },
  ],
});

function captureIo(): CommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { stdin: Readable.from([]), stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, out, err };
}

describe('ticketmoa repair-links', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-links-'));
    vi.stubEnv('TICKETMOA_DATA_DIR', dataDir);
    vi.stubEnv('TICKETMOA_NOW', NOW);
    vi.stubEnv('TICKETMOA_DEMO', '0');
    vi.stubEnv('LOG_LEVEL', 'silent');
    vi.stubEnv('DATABASE_URL', '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** What the API serves of the run, after the command. */
  async function served() {
    const service = await startTestService({ TICKETMOA_DATA_DIR: dataDir, TICKETMOA_NOW: NOW });
    try {
      const detail = (await service.app.inject({ url: `/detail/${POISONED._id}` })).json<{ data: Record<string, unknown> }>().data;
      const [item] = (await service.app.inject({ url: '/search?keyword=링크가' })).json<Record<string, unknown>[]>();
      return { detail, item };
    } finally {
      await service.close();
    }
  }

  it('when runs hold javascript: links, then --dry-run lists them and changes nothing, and a run blanks exactly those', async () => {
    const setup = await startTestService({ TICKETMOA_DATA_DIR: dataDir, TICKETMOA_NOW: NOW });
    await setup.container.stores.performances.upsertMany([POISONED]);
    await setup.close();
    expect((await served()).detail.poster_url).toBe('javascript:alert(document.cookie)');

    const dry = captureIo();
    expect(await createRepairLinksCommand(dry).run(['--dry-run'], { parseArgs })).toBe(0);
    expect(dry.out.join('')).toBe(
      [
        `unsafe link: ${POISONED._id} poster_url "javascript:alert(document.cookie)"`,
        `unsafe link: ${POISONED._id} artist[0].artist_url "data:text/html,<script>alert(1)</script>"`,
        `unsafe link: ${POISONED._id} hosts[1].ticket_url "javascript:alert(2)"`,
        'repair-links: 1 run checked, 3 unsafe links in 1 run, nothing written (dry run)',
        '',
      ].join('\n'),
    );
    expect((await served()).detail.poster_url).toBe('javascript:alert(document.cookie)');

    const io = captureIo();
    expect(await createRepairLinksCommand(io).run([], { parseArgs })).toBe(0);
    expect(io.out.filter((l) => l.startsWith('blanked: '))).toHaveLength(3);
    expect(io.out.at(-1)).toBe('repair-links: 1 run checked, 3 unsafe links in 1 run, 1 run cleaned\n');
    const { detail, item } = await served();
    expect(detail).toMatchObject({
      title: '링크가 나쁜 공연',
      poster_url: null,
      artist: [{ artist_name: '아이유', artist_url: null }],
      hosts: [
        { site_id: 1, ticket_url: 'https://tickets.example.com/1' },
        { site_id: 2, ticket_url: null },
      ],
    });
    expect(item).toMatchObject({ id: POISONED._id, poster_url: null, onSale: true, isExclusive: false });
    expect(JSON.stringify(detail)).not.toMatch(/javascript:|data:/);

    const again = captureIo();
    expect(await createRepairLinksCommand(again).run([], { parseArgs })).toBe(0);
    expect(again.out.join('')).toBe('repair-links: 1 run checked, 0 unsafe links in 0 runs, 0 runs cleaned\n');
  });

  it('when an option is unknown, then it exits 2 with a message', async () => {
    const io = captureIo();
    expect(await createRepairLinksCommand(io).run(['--everything'], { parseArgs })).toBe(2);
    expect(io.err.join('')).toContain("Unknown option '--everything'");
  });
});
