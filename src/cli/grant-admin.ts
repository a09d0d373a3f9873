import { createContainer } from '../container.js';
import type { AccountService } from '../features/accounts/index.js';
import type { Command } from './command.js';
import { configFromEnvironment } from './runtime.js';

type Write = (line: string) => void;

/** Sets or clears the admin flag; returns the exit code. */
export async function changeAdmin(accounts: AccountService, id: string, admin: boolean, out: Write, err: Write): Promise<number> {
  if (!(await accounts.setAdmin(id, admin))) {
    err(`ticketmoa: no account with id "${id}"`);
    return 1;
  }
  out(admin ? `${id} is now an admin (user_type 1)` : `${id} is no longer an admin (user_type 0)`);
  return 0;
}

function adminCommand(admin: boolean): Command {
  const name = admin ? 'grant-admin' : 'revoke-admin';
  return {
    summary: admin ? 'make an account an admin (login answers user_type "1")' : 'make an admin a regular account again',
    usage: `usage: ticketmoa ${name} <id>

<id> is the login id, or kakao:<kakao id> for a Kakao user. Running servers honour it within a
second (their verified-token caches follow the change); login answers the new user_type.`,
    async run(args) {
      const [id, ...extra] = args;
      if (id === undefined || extra.length > 0) {
        process.stderr.write(`usage: ticketmoa ${name} <id>\n`);
        return 2;
      }
      const config = configFromEnvironment();
      if (!config) return 2;
      const container = await createContainer(config);
      try {
        return await changeAdmin(
          container.accounts,
          id,
          admin,
          (l) => process.stdout.write(`${l}\n`),
          (l) => process.stderr.write(`${l}\n`),
        );
      } finally {
        await container.close();
      }
    },
  };
}

export const grantAdminCommand = adminCommand(true);
export const revokeAdminCommand = adminCommand(false);
