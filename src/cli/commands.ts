import type { Command } from './command.js';
import { serveCommand } from './serve.js';

export const commands: Record<string, Command> = {
  serve: serveCommand,
};
