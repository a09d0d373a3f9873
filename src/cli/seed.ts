import { generateCatalogue } from '../features/ingest/index.js';
import { kstDate } from '../platform/kst.js';
import type { Command } from './command.js';
import type { CommandIo } from './import.js';
import { configFromEnvironment, openContainer } from './runtime.js';
import { counted } from '../platform/plural.js';

const CHUNK = 5_000;
const DEFAULT_COUNT = 1_000;
const n = (v: number) => v.toLocaleString('en-US');

function intOption(value: string | undefined, name: string, fallback: number, max: number): number | string {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > max) return `--${name} must be an integer from 0 to ${n(max)}`;
  return Number(value);
}

export function createSeedCommand(io: CommandIo = process): Command {
  return {
    summary: 'write a synthetic Korean catalogue (deterministic from --seed)',
    usage: `usage: ticketmoa seed [--count N] [--seed S]

--count N  how many performance runs to generate (optional, default ${n(DEFAULT_COUNT)})
--seed S   the generator's seed (optional, default 1)

Writes the runs, with start dates around today (KST), to the store in chunks. The same seed on the same day gives the
same runs (and ids), so seeding twice updates instead of duplicating.`,
    async run(args, ctx) {
      let values: { count?: string | undefined; seed?: string | undefined };
      try {
        ({ values } = ctx.parseArgs({ args, options: { count: { type: 'string' }, seed: { type: 'string' } } }));
      } catch (err) {
        io.stderr.write(`ticketmoa seed: ${err instanceof Error ? err.message : String(err)}\n`);
        return 2;
      }
      const count = intOption(values.count, 'count', DEFAULT_COUNT, 1_000_000);
      const seed = intOption(values.seed, 'seed', 1, 0xffffffff);
      for (const v of [count, seed]) {
        if (typeof v === 'string') {
          io.stderr.write(`ticketmoa seed: ${v}\n`);
          return 2;
        }
      }
      const config = configFromEnvironment();
      if (!config) return 2;
      const container = await openContainer('seed', config, { mayCreate: true, stderr: io.stderr });
      if (!container) return 1;
      try {
        const today = kstDate(container.clock.now());
        const runs = generateCatalogue({ count: count as number, seed: seed as number, today });
        const service = container.importService;
        const total = { inserted: 0, updated: 0, merged: 0 };
        for (let i = 0; i < runs.length; i += CHUNK) {
          const done = await service.apply(runs.slice(i, i + CHUNK));
          total.inserted += done.inserted;
          total.updated += done.updated;
          total.merged += done.merged;
          if (runs.length > CHUNK) io.stderr.write(`seed: ${n(Math.min(i + CHUNK, runs.length))} / ${n(runs.length)} runs written\n`);
        }
        io.stdout.write(
          `seed: ${counted(runs.length, 'run', undefined, n)} from seed ${seed} around ${today}: inserted ${n(total.inserted)}, ` +
            `updated ${n(total.updated)}, merged duplicates ${n(total.merged)}\n`,
        );
        return 0;
      } finally {
        await container.close();
      }
    },
  };
}

export const seedCommand = createSeedCommand();
