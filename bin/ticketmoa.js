#!/usr/bin/env node
import { main } from '../dist/main.js';

/** After a command has finished, how long a handle a library left open may keep the process alive. */
const EXIT_GRACE_MS = 3000;

function exitSoon() {
  // A command returns once its work is flushed and closed; a socket or timer a client library
  // forgot (kafkajs after an abandoned request, say) must not keep a stopped process running.
  setTimeout(() => {
    process.stderr.write(`ticketmoa: exiting with handles still open: ${process.getActiveResourcesInfo().join(', ')}\n`);
    process.exit();
  }, EXIT_GRACE_MS).unref();
}

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
    exitSoon();
  },
  (err) => {
    process.stderr.write(`ticketmoa: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
    exitSoon();
  },
);
