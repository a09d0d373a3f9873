import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { until } from './until.js';

/** A real Kafka wire-protocol peer: librdkafka's mock cluster, served by Debian's `kcat`. */
export interface TestKafka {
  brokers: string[];
  close(): Promise<void>;
}

export function kcatAvailable(): boolean {
  const found = spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0;
  if (!found && process.env.CI === 'true') {
    throw new Error('kcat is required in CI for the Kafka tests (apt-get install -y kcat)');
  }
  if (!found) process.stderr.write('skipping Kafka tests: kcat is not installed (apt-get install -y kcat)\n');
  return found;
}

export async function startTestKafka(): Promise<TestKafka> {
  const proc = spawn('kcat', ['-X', 'test.mock.num.brokers=1', '-d', 'mock', '-b', 'localhost:1', '-C', '-t', 'ticketmoa-probe'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  let brokers: string[] | undefined;
  await until('the kcat mock cluster is up', () => {
    const m = /bootstrap\.servers=([\d.:,]+)/.exec(err);
    if (m) brokers = m[1]!.split(',');
    if (proc.exitCode !== null) throw new Error(`kcat exited: ${err.slice(-1000)}`);
    return brokers !== undefined;
  });
  return {
    brokers: brokers!,
    close: async () => {
      if (proc.exitCode !== null) return;
      const gone = new Promise((r) => proc.on('exit', r));
      proc.kill('SIGKILL');
      await gone;
    },
  };
}

/**
 * A socket factory for kafkajs whose network can be cut: while down, every connection is
 * refused and open ones are destroyed, as when the brokers are unreachable.
 */
export function cuttableNetwork() {
  const open = new Set<net.Socket>();
  let down = false;
  const socketFactory = ({ host, port, onConnect }: { host: string; port: number; onConnect: () => void }) => {
    const socket = net.connect({ host: down ? '127.0.0.1' : host, port: down ? 1 : port }, onConnect);
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    return socket;
  };
  return {
    socketFactory,
    cut() {
      down = true;
      for (const s of open) s.destroy();
    },
    restore() {
      down = false;
    },
  };
}
