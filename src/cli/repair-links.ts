import { describeUnsafeLinks, LINK_BLANKED, repairLinks, type LinkRepairSummary } from '../features/ingest/index.js';
import type { Command } from './command.js';
import type { CommandIo } from './import.js';
import { configFromEnvironment, openContainer } from './runtime.js';
import { counted } from '../platform/plural.js';

function summaryLine(s: LinkRepairSummary, dryRun: boolean): string {
  const found = `repair-links: ${counted(s.checked, 'run')} checked, ${counted(s.links, 'unsafe link')} in ${counted(s.runs, 'run')}`;
  return `${found}, ${dryRun ? 'nothing written (dry run)' : `${counted(s.cleaned, 'run')} cleaned`}\n`;
}

export function createRepairLinksCommand(io: CommandIo = process): Command {
  return {
    summary: 'blank stored links no frontend may be given (javascript:, data:, …), kept from before imports checked them',
    usage: `usage: ticketmoa repair-links [--dry-run]

Imports accept only absolute http(s) links (and the service's own /posters/ paths) in poster_url,
artist_url and ticket_url. Runs stored before that may hold others (javascript:, data:, …),
which every frontend would be handed. This sets each such link to null and keeps the rest of
the run (the artist's name, the vendor); a vendor without a ticket link is no longer on sale
there. Each link is printed as "<run id> <field> <value>". Safe beside running instances (they
reload the catalogue) and safe to run again. serve runs it once at start in a database where it
never finished. --dry-run only lists them.`,
    async run(args, { parseArgs }) {
      let dryRun: boolean;
      try {
        dryRun = parseArgs({ args, options: { 'dry-run': { type: 'boolean', default: false } } }).values['dry-run'] === true;
      } catch (err) {
        io.stderr.write(`ticketmoa repair-links: ${err instanceof Error ? err.message : String(err)}\n`);
        return 2;
      }
      const config = configFromEnvironment();
      if (!config) return 2;
      const container = await openContainer('repair-links', config, { mayCreate: false, stderr: io.stderr });
      if (!container) return 1;
      try {
        if (dryRun) {
          const summary = await repairLinks(container.stores.performances, {
            dryRun: true,
            onRun: (id, links) => {
              for (const line of describeUnsafeLinks(id, links)) io.stdout.write(`unsafe link: ${line}\n`);
            },
          });
          io.stdout.write(summaryLine(summary, true));
          return 0;
        }
        const outcome = await container.linkRepair.run({
          onProgress: (message) =>
            message.startsWith(LINK_BLANKED)
              ? io.stdout.write(`blanked: ${message.slice(LINK_BLANKED.length)}\n`)
              : io.stderr.write(`repair-links: ${message}\n`),
        });
        if (outcome.status === 'skipped') {
          io.stdout.write(`repair-links: skipped, another process is cleaning (${outcome.heldBy ?? 'unknown'})\n`);
          return 0;
        }
        io.stdout.write(summaryLine(outcome.summary, false));
        return 0;
      } catch (err) {
        io.stderr.write(`repair-links: failed: ${err instanceof Error ? err.message : String(err)}\n`);
        return 1;
      } finally {
        await container.close();
      }
    },
  };
}

export const repairLinksCommand = createRepairLinksCommand();
