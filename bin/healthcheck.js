#!/usr/bin/env node
// The image's HEALTHCHECK, for whichever command the container runs (tini is PID 1, and its
// arguments name it): `serve` is healthy when GET /readyz on PORT answers 200 (started, database
// answering); `sink` and `schedule` when GET /healthz on METRICS_PORT does. Without a metrics port
// they have nothing to ask, and the process running is all there is to know.
import { readFileSync } from 'node:fs';

const TIMEOUT_MS = 4000;

function commandOfContainer() {
  const args = readFileSync('/proc/1/cmdline', 'utf8').split('\0');
  const script = args.findIndex((arg) => arg.endsWith('ticketmoa.js'));
  return script === -1 ? undefined : (args[script + 1] ?? 'serve');
}

async function ok(port, path) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  return res.ok;
}

async function healthy() {
  const command = commandOfContainer() ?? 'serve';
  if (command === 'serve') return ok(process.env.PORT || 8000, '/readyz');
  const metricsPort = Number(process.env.METRICS_PORT);
  if (Number.isInteger(metricsPort) && metricsPort > 0) return ok(metricsPort, '/healthz');
  return true;
}

healthy().then(
  (up) => process.exit(up ? 0 : 1),
  () => process.exit(1),
);
