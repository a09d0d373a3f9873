import type { Command } from './command.js';
import { popularCommand } from './popular.js';
import { recommendCommand } from './recommend.js';
import { serveCommand } from './serve.js';

export const commands: Record<string, Command> = {
  serve: serveCommand,
  popular: popularCommand,
  recommend: recommendCommand,
};
