import type { Command } from './command.js';
import { compactLakeCommand } from './compact-lake.js';
import { createAdminCommand } from './create-admin.js';
import { grantAdminCommand, revokeAdminCommand } from './grant-admin.js';
import { importUsersCommand } from './import-users.js';
import { importCommand } from './import.js';
import { kopisCommand } from './kopis.js';
import { outboxCommand } from './outbox.js';
import { seedCommand } from './seed.js';
import { popularCommand } from './popular.js';
import { recommendCommand } from './recommend.js';
import { repairLakeCommand } from './repair-lake.js';
import { repairLinksCommand } from './repair-links.js';
import { scheduleCommand } from './schedule.js';
import { serveCommand } from './serve.js';
import { sinkCommand } from './sink.js';

export const commands: Record<string, Command> = {
  serve: serveCommand,
  'create-admin': createAdminCommand,
  'grant-admin': grantAdminCommand,
  'revoke-admin': revokeAdminCommand,
  'import-users': importUsersCommand,
  import: importCommand,
  seed: seedCommand,
  popular: popularCommand,
  recommend: recommendCommand,
  sink: sinkCommand,
  kopis: kopisCommand,
  schedule: scheduleCommand,
  'repair-lake': repairLakeCommand,
  'compact-lake': compactLakeCommand,
  'repair-links': repairLinksCommand,
  outbox: outboxCommand,
};
