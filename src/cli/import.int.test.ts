import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestService } from '../test-support/app.js';
import { encodeCp949 } from '../test-support/cp949.js';
import { createImportCommand, type CommandIo } from './import.js';
import { createSeedCommand } from './seed.js';

const ID_A = '64b7f0c2a1b2c3d4e5f60718';

function captureIo(stdinText = ''): CommandIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdin: Readable.from([Buffer.from(stdinText)]),
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    out,
    err,
  };
}

describe('ticketmoa import and seed', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-cli-'));
    vi.stubEnv('TICKETMOA_DATA_DIR', dataDir);
    vi.stubEnv('TICKETMOA_NOW', '2026-11-27T10:00:00+09:00');
    vi.stubEnv('TICKETMOA_DEMO', '0');
    vi.stubEnv('LOG_LEVEL', 'silent');
    vi.stubEnv('DATABASE_URL', '');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The API a user would query after running the command. */
  async function api<T>(url: string): Promise<T> {
    const service = await startTestService({ TICKETMOA_DATA_DIR: dataDir, TICKETMOA_NOW: '2026-11-27T10:00:00+09:00' });
    try {
      return (await service.app.inject({ url })).json<T>();
    } finally {
      await service.close();
    }
  }

  it('when a mongoexport file is imported, then its runs are served by the API', async () => {
    const file = path.join(dataDir, 'export.json');
    writeFileSync(
      file,
      [
        {
          _id: { $oid: ID_A },
          title: '뮤지컬 〈영웅〉',
          start_date: '2026.12.10',
          end_date: '2027.02.28',
          region: '서울',
          category: '뮤지컬',
          hosts: [{ site_id: { $numberInt: '1' }, ticket_url: 'https://a/1' }],
        },
        {
          title: '뮤지컬 영웅',
          start_date: '2026.12.10',
          end_date: '2027.02.28',
          hosts: [{ site_id: { $numberInt: '2' }, ticket_url: 'https://b/1' }],
        },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const io = captureIo();
    expect(await createImportCommand(io).run([file], { parseArgs })).toBe(0);
    expect(io.out.join('')).toBe(`${file}: read 2, inserted 1, updated 0, merged duplicates 1, rejected 0\n`);

    const detail = await api<{ data: { _id: string; hosts: unknown[] } }>(`/detail/${ID_A}`);
    expect(detail.data).toMatchObject({ _id: ID_A, hosts: [{ site_id: 1 }, { site_id: 2 }] });
    const found = await api<{ id: string; isExclusive: boolean }[]>(`/search?keyword=${encodeURIComponent('영웅')}`);
    expect(found).toEqual([expect.objectContaining({ id: ID_A, isExclusive: false })]);
  });

  it('when "-" is given, then the records are read from standard input', async () => {
    const io = captureIo(JSON.stringify([{ _id: ID_A, title: '연극 〈라면〉', start_date: '2026.11.01', end_date: '상시공연' }]));
    expect(await createImportCommand(io).run(['-'], { parseArgs })).toBe(0);
    expect(io.out.join('')).toContain('(stdin): read 1, inserted 1');
    const detail = await api<{ data: { end_date: string } }>(`/detail/${ID_A}`);
    expect(detail.data.end_date).toBe('상시공연');
  });

  it('when one of two files has a bad record, then only the good file is applied and the exit code is 1', async () => {
    const good = path.join(dataDir, 'good.ndjson');
    const bad = path.join(dataDir, 'bad.ndjson');
    writeFileSync(good, JSON.stringify({ _id: ID_A, title: '좋은 공연', start_date: '2026.12.01', end_date: '2026.12.02' }) + '\n');
    writeFileSync(
      bad,
      [
        JSON.stringify({ title: '나쁜 파일의 정상 공연', start_date: '2026.12.01', end_date: '2026.12.02' }),
        JSON.stringify({ title: '끝이 먼저', start_date: '2026.12.05', end_date: '2026.12.01' }),
      ].join('\n'),
    );
    const io = captureIo();
    expect(await createImportCommand(io).run([good, bad], { parseArgs })).toBe(1);
    expect(io.err.join('')).toContain(`${bad}:2: record 2: end_date is before start_date\n`);
    expect(io.out.join('')).toContain(`${bad}: read 2, inserted 0, updated 0, merged duplicates 0, rejected 1 — nothing written (1 problem)`);
    const all = await api<{ title: string }[]>('/search');
    expect(all.map((r) => r.title)).toEqual(['좋은 공연']);
  });

  it('when a file is CP949 (EUC-KR), then it is refused with a message naming CP949 and iconv, exit 1, and nothing is written', async () => {
    const legacy = path.join(dataDir, 'legacy.ndjson');
    writeFileSync(legacy, encodeCp949(JSON.stringify({ _id: ID_A, title: '연극 라면', start_date: '2026.11.01', end_date: '상시공연' }) + '\n'));
    const io = captureIo();
    expect(await createImportCommand(io).run([legacy], { parseArgs })).toBe(1);
    expect(io.err.join('')).toMatch(
      new RegExp(`^${legacy}:1: the file is not valid UTF-8: .* at byte offset 43; .*CP949/EUC-KR.*iconv -f CP949 -t UTF-8`, 'm'),
    );
    expect(io.err[0]).toBe(`import: using the SQLite database ${path.join(dataDir, 'ticketmoa.db')} (TICKETMOA_DATA_DIR ${dataDir})\n`);
    expect(io.out.join('')).toContain('nothing written (1 problem)');
    expect(await api<unknown[]>('/search')).toEqual([]);
  });

  it('when standard input is not UTF-8, then it is refused too', async () => {
    const io = captureIo();
    io.stdin = Readable.from([Buffer.from('[{"title":"'), Buffer.from([0xff]), Buffer.from('"}]')]);
    expect(await createImportCommand(io).run(['-'], { parseArgs })).toBe(1);
    expect(io.err.join('')).toContain('(stdin):1: the file is not valid UTF-8: byte 0xFF cannot start a character at byte offset 11');
  });

  it('when no file is named, then the usage error exits 2 and nothing is opened', async () => {
    const io = captureIo();
    expect(await createImportCommand(io).run([], { parseArgs })).toBe(2);
    expect(io.err.join('')).toMatch(/name at least one file/);
  });

  it('when seeding, then the generated runs are served, and seeding again with the same seed adds nothing', async () => {
    const io = captureIo();
    expect(await createSeedCommand(io).run(['--count', '300', '--seed', '5'], { parseArgs })).toBe(0);
    expect(io.out.join('')).toContain('seed: 300 runs from seed 5 around 2026.11.27: inserted 300');
    expect(await createSeedCommand(captureIo()).run(['--count', '300', '--seed', '5'], { parseArgs })).toBe(0);
    const all = await api<unknown[]>('/search');
    expect(all).toHaveLength(300);
    const banner = await api<{ start_date: string }[]>('/banner');
    expect(banner).toHaveLength(11);
  });

  it('when --count is not a number, then seed exits 2 with a message', async () => {
    const io = captureIo();
    expect(await createSeedCommand(io).run(['--count', 'many'], { parseArgs })).toBe(2);
    expect(io.err.join('')).toContain('--count must be an integer');
  });
});
