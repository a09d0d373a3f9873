import { createServer } from 'node:net';

/** A port a command will listen on, named by the setting that chooses it. */
export interface WantedPort {
  setting: string;
  port: number;
  host: string;
}

/**
 * Why `serve` could not listen on a port it needs, found before it writes anything (database,
 * demo catalogue, outbox, schedules); undefined when every port can be bound. The port is bound
 * and let go at once: a process that takes it in between still makes the real listen fail, later.
 */
export async function portProblem(wanted: readonly WantedPort[]): Promise<string | undefined> {
  for (const w of wanted) {
    if (w.port === 0) continue; // any free port
    const code = await tryListen(w.port, w.host);
    if (code === undefined) continue;
    const where = `${w.host}:${w.port} (${w.setting})`;
    if (code === 'EADDRINUSE')
      return `port ${w.port} is already in use (EADDRINUSE) on ${where}: another ticketmoa serve, or another program, listens there. Stop it, or set ${w.setting} to a free port`;
    if (code === 'EACCES') return `not allowed to listen on ${where}: ports below 1024 need privileges; set ${w.setting} to a port from 1024 up`;
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `cannot listen on ${where}: no such address on this machine`;
    return `cannot listen on ${where}: ${code}`;
  }
  return undefined;
}

function tryListen(port: number, host: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });
}
