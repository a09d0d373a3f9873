import type { parseArgs } from 'node:util';

export interface CommandContext {
  parseArgs: typeof parseArgs;
}

export interface Command {
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(args: string[], ctx: CommandContext): Promise<number>;
}
