import { describeDatabase } from '../config/database-location.js';
import { frontendPassword, validateAdminAccount, type AdminAccountOutcome } from '../features/accounts/index.js';
import type { Command } from './command.js';
import { readPassword, type PasswordSource } from './password-input.js';
import { configFromEnvironment, openContainer } from './runtime.js';

export interface CreateAdminIo {
  stdin: PasswordSource;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const USAGE = `usage: ticketmoa create-admin <id> [--name N] [--reset-password]

Creates an admin account (login answers user_type "1") that logs in at /admin at once. The
password is read from standard input: typed on a terminal (twice, not shown), or piped in, e.g.
  printf %s "$ADMIN_PASSWORD" | ticketmoa create-admin boss1
(one line; a final line break is dropped). It is stored as the frontend would send it (the
transform of docs/contract.md §2, which the /admin page applies too), hashed as at signup.
<id> follows the signup rules: 4 to 15 letters or digits, with at least one letter.
--name N          the display name (default: the id), 1 to 30 characters
--reset-password  when the id exists, also set its password to this one (its sessions go on)

When the id exists, that account is made an admin instead (it says so), and its password is left
as it is unless --reset-password is given. Takes the settings "ticketmoa serve" takes (.env,
TICKETMOA_DATA_DIR, DATABASE_URL), and creates the database when there is none yet.`;

export function createCreateAdminCommand(io: CreateAdminIo = process): Command {
  const fail = (message: string, code: number) => {
    io.stderr.write(`ticketmoa create-admin: ${message}; nothing written\n`);
    return code;
  };
  return {
    summary: 'create an admin account that logs in at /admin (or make an existing account an admin)',
    usage: USAGE,
    async run(args, { parseArgs }) {
      let id: string;
      let name: string;
      let resetPassword: boolean;
      try {
        const { values, positionals } = parseArgs({
          args,
          options: { name: { type: 'string' }, 'reset-password': { type: 'boolean', default: false } },
          allowPositionals: true,
        });
        if (positionals.length !== 1) throw new Error(positionals.length === 0 ? 'name the account id' : 'name one account id');
        id = positionals[0]!;
        name = values.name ?? id;
        resetPassword = values['reset-password'] === true;
      } catch (err) {
        io.stderr.write(`ticketmoa create-admin: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
        return 2;
      }
      // The id and name are checked before the password is asked for, and nothing is opened before both are.
      const fields = validateAdminAccount({ id, username: name, pw: 'checked later' });
      if (!fields.ok) return fail(fields.errors.map((e) => `${e.field === 'username' ? '--name' : e.field} ${e.message}`).join('; '), 2);
      const config = configFromEnvironment();
      if (!config) return 2;
      const read = await readPassword(io.stdin, io.stderr, `Password for ${id}: `);
      if (!read.ok) return fail(read.reason, read.aborted ? 130 : 2);
      const container = await openContainer('create-admin', config, { mayCreate: true, announce: false });
      if (!container) return 1;
      try {
        const outcome = await container.accounts.createAdmin({ id, username: name, pw: frontendPassword(read.password) }, { resetPassword });
        if (outcome.status === 'invalid') return fail(outcome.errors.map((e) => `${e.field} ${e.message}`).join('; '), 2);
        report(io, outcome, id, describeDatabase(config), `${config.publicUrl}/admin`);
        return 0;
      } finally {
        await container.close();
      }
    },
  };
}

function report(io: CreateAdminIo, outcome: Exclude<AdminAccountOutcome, { status: 'invalid' }>, id: string, database: string, adminUrl: string) {
  if (outcome.status === 'created') {
    io.stdout.write(`created the admin account "${id}" (user_type 1) in the ${database}\nlog in at ${adminUrl} with this id and password\n`);
    return;
  }
  const done = outcome.status === 'granted' ? 'is now an admin (user_type 1)' : 'was already an admin (user_type 1)';
  io.stdout.write(`the account "${id}" existed: it ${done}, in the ${database}\n`);
  if (outcome.password === 'reset') io.stdout.write(`its password is now the one given; log in at ${adminUrl}\n`);
  else if (outcome.password === 'matches') io.stdout.write(`its password is the one given; log in at ${adminUrl}\n`);
  else
    io.stderr.write(
      `create-admin: the password given is not this account's, and was not set: log in with the account's own password, ` +
        `or run again with --reset-password to set it\n`,
    );
}

export const createAdminCommand = createCreateAdminCommand();
