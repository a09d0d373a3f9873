import { createReadStream } from 'node:fs';
import type { ImportOutcome, ImportProgress } from '../features/ingest/index.js';
import type { Command } from './command.js';
import { configFromEnvironment, openContainer } from './runtime.js';
import { counted } from '../platform/plural.js';

export interface CommandIo {
  stdin: NodeJS.ReadableStream;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const n = (v: number) => v.toLocaleString('en-US');

function progressPrinter(name: string, io: CommandIo) {
  return (p: ImportProgress) => {
    if (p.phase === 'reading') {
      io.stderr.write(`${name}: ${counted(p.records, 'record', undefined, n)} read (${(p.consumed / 1_048_576).toFixed(1)} MB)\n`);
    } else if (p.runs >= 10_000) {
      io.stderr.write(`${name}: writing ${n(p.runs)} runs\n`);
    }
  };
}

function report(name: string, outcome: ImportOutcome, io: CommandIo): void {
  for (const p of outcome.problems) {
    io.stderr.write(`${name}:${p.line}: ${p.record === undefined ? '' : `record ${p.record}: `}${p.reason}\n`);
  }
  const c = outcome.counts;
  io.stdout.write(
    `${name}: read ${n(c.read)}, inserted ${n(c.inserted)}, updated ${n(c.updated)}, ` +
      `merged duplicates ${n(c.merged)}, rejected ${n(c.rejected)}` +
      (outcome.applied ? '\n' : ` — nothing written (${counted(outcome.problems.length, 'problem', undefined, n)})\n`),
  );
}

export function createImportCommand(io: CommandIo = process): Command {
  return {
    summary: 'load catalogue files (JSON array, NDJSON, mongoexport)',
    usage: `usage: ticketmoa import <file…>

Loads performance runs from each file ("-" reads standard input). A file may be a JSON array,
NDJSON (one record per line) or a mongoexport dump of the legacy "data" collection (Extended
JSON); the format is detected from the content. Runs are upserted by _id (records without one
get a new id); a record whose duplicatekey is already held by another run merges into it,
adding its vendors to hosts and filling only fields that run lacks.

Each file is applied whole or not at all: when any record is bad, every problem is listed with
its line number and nothing from that file is written. Exits 1 when any file was rejected.`,
    async run(args, ctx) {
      let positionals: string[];
      try {
        ({ positionals } = ctx.parseArgs({ args, options: {}, allowPositionals: true }));
      } catch (err) {
        io.stderr.write(`ticketmoa import: ${err instanceof Error ? err.message : String(err)}\n`);
        return 2;
      }
      if (positionals.length === 0) {
        io.stderr.write('ticketmoa import: name at least one file ("-" for standard input)\n');
        return 2;
      }
      const config = configFromEnvironment();
      if (!config) return 2;
      const container = await openContainer('import', config, { mayCreate: true, stderr: io.stderr });
      if (!container) return 1;
      const service = container.importService;
      let failed = 0;
      try {
        for (const file of positionals) {
          const name = file === '-' ? '(stdin)' : file;
          try {
            const input = file === '-' ? io.stdin : createReadStream(file, { highWaterMark: 1 << 20 });
            const outcome = await service.importFrom(input as AsyncIterable<Uint8Array | string>, {
              onProgress: progressPrinter(name, io),
            });
            report(name, outcome, io);
            if (!outcome.applied) failed += 1;
          } catch (err) {
            failed += 1;
            io.stderr.write(`${name}: nothing written: ${err instanceof Error ? err.message : String(err)}\n`);
          }
        }
      } finally {
        await container.close();
      }
      return failed > 0 ? 1 : 0;
    },
  };
}

export const importCommand = createImportCommand();
