import type { Command } from './command.js';
import { importCommand } from './import.js';
import { seedCommand } from './seed.js';
import { serveCommand } from './serve.js';

export const commands: Record<string, Command> = {
  serve: serveCommand,
  import: importCommand,
  seed: seedCommand,
};
