import { describeDatabase } from '../config/database-location.js';
import type { AccountService } from '../features/accounts/index.js';
import type { Command } from './command.js';
import { configFromEnvironment, openContainer } from './runtime.js';

type Write = (line: string) => void;

/** Sets or clears the admin flag; returns the exit code. `database` says where (describeDatabase). */
export async function changeAdmin(accounts: AccountService, id: string, admin: boolean, out: Write, err: Write, database?: string): Promise<number> {
  const where = database === undefined ? '' : ` in the ${database}`;
  if (!(await accounts.setAdmin(id, admin))) {
    err(`ticketmoa: no account with id "${id}"${where}`);
    return 1;
  }
  out(admin ? `${id} is now an admin (user_type 1)${where}` : `${id} is no longer an admin (user_type 0)${where}`);
  return 0;
}

function adminCommand(admin: boolean): Command {
  const name = admin ? 'grant-admin' : 'revoke-admin';
  return {
    summary: admin ? 'make an account an admin (login answers user_type "1")' : 'make an admin a regular account again',
    usage: `usage: ticketmoa ${name} <id>

<id> is the login id, or kakao:<kakao id> for a Kakao user. It takes effect at once, with no new
login needed: running servers (every instance on this database) honour it within a second, for
tokens already handed out too, and login answers the new user_type.${admin ? '\nTo create an admin account in one step, see "ticketmoa create-admin".' : ''}`,
    async run(args) {
      const [id, ...extra] = args;
      if (id === undefined || extra.length > 0) {
        process.stderr.write(`usage: ticketmoa ${name} <id>\n`);
        return 2;
      }
      const config = configFromEnvironment();
      if (!config) return 2;
      const container = await openContainer(name, config, { mayCreate: false, announce: false });
      if (!container) return 1;
      try {
        return await changeAdmin(
          container.accounts,
          id,
          admin,
          (l) => process.stdout.write(`${l}\n`),
          (l) => process.stderr.write(`${l}\n`),
          describeDatabase(config),
        );
      } finally {
        await container.close();
      }
    },
  };
}

export const grantAdminCommand = adminCommand(true);
export const revokeAdminCommand = adminCommand(false);
