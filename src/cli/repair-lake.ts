import { repairLake } from '../pipeline/sink/repair.js';
import type { Command } from './command.js';
import { configFromEnvironment, openContainer } from './runtime.js';
import { counted } from '../platform/plural.js';

export const repairLakeCommand: Command = {
  summary: 'rewrite event files that DuckDB, Arrow or Spark cannot open (written by early versions)',
  usage: `usage: ticketmoa repair-lake [--dry-run]

Checks every Parquet file under logs/ in LAKE_URL. Files written before the lake fix declare
their integer columns in a form DuckDB and Arrow reject; each such file is rewritten under the
same key with the same rows (read back before it replaces the old one). Safe to run again and
beside a running sink. --dry-run only counts them.`,
  async run(args, { parseArgs }) {
    let dryRun: boolean;
    try {
      dryRun = parseArgs({ args, options: { 'dry-run': { type: 'boolean', default: false } } }).values['dry-run'] === true;
    } catch (err) {
      process.stderr.write(`ticketmoa repair-lake: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
    const config = configFromEnvironment();
    if (!config) return 2;
    const container = await openContainer('repair-lake', config, { mayCreate: false });
    if (!container) return 1;
    try {
      const summary = await repairLake(container.lake, {
        dryRun,
        onFile: (key, outcome) => {
          if (outcome !== 'ok') process.stderr.write(`${outcome}: ${key}\n`);
        },
      });
      process.stdout.write(
        `repair-lake: ${counted(summary.checked, 'file')} checked, ${summary.broken} unreadable by other engines, ` +
          `${dryRun ? 'none rewritten (dry run)' : `${summary.rewritten} rewritten`}` +
          `${summary.failed.length > 0 ? `, ${summary.failed.length} failed` : ''}\n`,
      );
      for (const f of summary.failed) process.stderr.write(`failed: ${f.key}: ${f.error}\n`);
      return summary.failed.length > 0 ? 1 : 0;
    } finally {
      await container.close();
    }
  },
};
