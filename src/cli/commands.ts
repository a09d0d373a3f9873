import type { Command } from './command.js';
import { serveCommand } from './serve.js';
import { sinkCommand } from './sink.js';

export const commands: Record<string, Command> = {
  serve: serveCommand,
  sink: sinkCommand,
};
