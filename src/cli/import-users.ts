import { readFile } from 'node:fs/promises';
import { decodeUtf8Strictly, InvalidUtf8Error } from '../platform/utf8.js';
import { type ImportReport, type LegacyUserImporter, parseMongoExport } from '../features/accounts/legacy-import.js';
import type { Command } from './command.js';
import { configFromEnvironment, openContainer } from './runtime.js';
import { counted } from '../platform/plural.js';

/** Throws `InvalidUtf8Error` (nothing imported) when the file is not UTF-8, e.g. a CP949 export. */
export async function importUsersFile(importer: LegacyUserImporter, file: string): Promise<ImportReport> {
  return importer.import(parseMongoExport(decodeUtf8Strictly(await readFile(file))));
}

export const importUsersCommand: Command = {
  summary: 'import legacy users and Kakao users from mongoexport files',
  usage: `usage: ticketmoa import-users <file>...

Each file is a mongoexport of the legacy "users" or "kakao" collection (one JSON document per
line, or --jsonArray). Users need id and pw (plain legacy password, stored only as an argon2id
hash); username, email, phoneNumber, gender, birthday, agreeMarketing, user_type are kept when
valid. Kakao documents need the numeric Kakao id (kakao_id or id) and may carry nickname, email
and profile_image. Ids that already exist are skipped, so running it twice is harmless.`,
  async run(args) {
    if (args.length === 0) {
      process.stderr.write('usage: ticketmoa import-users <file>...\n');
      return 2;
    }
    const config = configFromEnvironment();
    if (!config) return 2;
    const container = await openContainer('import-users', config, { mayCreate: true });
    if (!container) return 1;
    let rejected = 0;
    try {
      for (const file of args) {
        let r: ImportReport;
        try {
          r = await importUsersFile(container.userImport, file);
        } catch (err) {
          if (!(err instanceof InvalidUtf8Error)) throw err;
          rejected += 1;
          process.stderr.write(`${file}: nothing imported: the file is ${err.message}\n`);
          continue;
        }
        rejected += r.rejected.length;
        process.stdout.write(`${file}: ${counted(r.users, 'user')} and ${counted(r.kakao, 'Kakao user')} imported, ${r.existing} already present\n`);
        for (const x of r.rejected) process.stderr.write(`${file}: document ${x.line} skipped: ${x.reason}\n`);
      }
      return rejected > 0 ? 1 : 0;
    } finally {
      await container.close();
    }
  },
};
