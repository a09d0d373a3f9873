import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LegacyUserImporter } from '../features/accounts/index.js';
import { InvalidUtf8Error } from '../platform/utf8.js';
import { encodeCp949 } from '../test-support/cp949.js';
import { importUsersFile } from './import-users.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ticketmoa-users-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ticketmoa import-users reads UTF-8 only', () => {
  it('when a users export is CP949, then it is refused before any document is imported, naming CP949/EUC-KR', async () => {
    const file = path.join(dir, 'users.json');
    writeFileSync(file, encodeCp949(JSON.stringify({ id: 'hong', pw: 'secret', username: '홍길동' }) + '\n'));
    const imported: unknown[] = [];
    const importer = { import: async (docs: unknown[]) => (imported.push(...docs), { users: 0, kakao: 0, existing: 0, rejected: [] }) };
    const refused = importUsersFile(importer as unknown as LegacyUserImporter, file);
    await expect(refused).rejects.toBeInstanceOf(InvalidUtf8Error);
    await expect(refused).rejects.toThrow(/CP949\/EUC-KR/);
    expect(imported).toEqual([]);
  });
});
