import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importUsersFile } from '../../cli/import-users.js';
import { login } from '../../test-support/accounts.js';
import { startTestService, type TestService } from '../../test-support/app.js';
import { testBackends } from '../../test-support/backends.js';

const legacyUsers = [
  {
    _id: { $oid: '64b7f0c2a1b2c3d4e5f60718' },
    id: 'olduser1',
    pw: 'NzY1YmE4ZDFmZGVhNmM0ZDQ4YjE0ZDQ0NjQ4ZmQ2OWM=',
    username: '옛사용자',
    email: 'old@example.com',
    phoneNumber: '010-9876-5432',
    gender: 'M',
    birthday: '1988-07-01',
    agreeMarketing: 'true',
    user_type: { $numberInt: '1' },
  },
  { _id: { $oid: '64b7f0c2a1b2c3d4e5f60719' }, id: 'old_user.2', pw: 'plain-legacy', username: '둘째', gender: 'x', birthday: '19900230' },
  { _id: { $oid: '64b7f0c2a1b2c3d4e5f6071a' }, username: 'no id, no kakao id' },
];

const legacyKakao = [
  {
    _id: { $oid: '64b7f0c2a1b2c3d4e5f6071b' },
    id: { $numberLong: '3141592653' },
    nickname: '카카오친구',
    email: 'k@example.com',
    profile_image: 'https://k.example.com/p.jpg',
  },
];

for (const backend of await testBackends()) {
  describe.skipIf(backend.env === undefined)(`legacy user import on ${backend.name}`, () => {
    let svc: TestService;
    beforeEach(async () => {
      svc = await startTestService(await backend.env!());
    });
    afterEach(async () => svc.close());

    describe('import-users', () => {
      it('when legacy users are imported, then they log in with their legacy password, which is stored only as a hash', async () => {
        const file = path.join(svc.dataDir, 'users.json');
        writeFileSync(file, legacyUsers.map((d) => JSON.stringify(d)).join('\n'));
        const report = await importUsersFile(svc.container.userImport, file);
        expect(report).toEqual({ users: 2, kakao: 0, existing: 0, rejected: [{ line: 3, reason: expect.any(String) }] });

        const res = await login(svc, 'olduser1', 'NzY1YmE4ZDFmZGVhNmM0ZDQ4YjE0ZDQ0NjQ4ZmQ2OWM=');
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ username: '옛사용자', user_type: '1' });
        expect((await login(svc, 'old_user.2', 'plain-legacy')).statusCode).toBe(200);
        expect((await login(svc, 'olduser1', 'wrong')).statusCode).toBe(401);

        const stored = await svc.container.stores.accounts.findUser('olduser1');
        expect(stored).toMatchObject({ phoneNumber: '01098765432', gender: 'M', birthday: '1988-07-01', agreeMarketing: true });
        expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
        // Invalid legacy values are dropped rather than kept.
        expect(await svc.container.stores.accounts.findUser('old_user.2')).toMatchObject({ gender: null, birthday: null });
      });

      it('when the import runs twice, then existing accounts are left alone', async () => {
        const file = path.join(svc.dataDir, 'users.json');
        writeFileSync(file, JSON.stringify(legacyUsers.slice(0, 1)));
        await importUsersFile(svc.container.userImport, file);
        expect(await importUsersFile(svc.container.userImport, file)).toMatchObject({ users: 0, existing: 1 });
      });

      it('when the legacy kakao collection is imported, then Kakao users exist under kakao:<id>', async () => {
        const file = path.join(svc.dataDir, 'kakao.json');
        writeFileSync(file, legacyKakao.map((d) => JSON.stringify(d)).join('\n'));
        expect(await importUsersFile(svc.container.userImport, file)).toMatchObject({ kakao: 1, rejected: [] });
        expect(await svc.container.stores.accounts.findUser('kakao:3141592653')).toMatchObject({
          kind: 'kakao',
          username: '카카오친구',
          email: 'k@example.com',
          profileImage: 'https://k.example.com/p.jpg',
          passwordHash: null,
        });
      });
    });
  });
}
