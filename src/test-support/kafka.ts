import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import type { ISocketFactory } from 'kafkajs';
import { until } from './until.js';

/** A real Kafka wire-protocol peer: librdkafka's mock cluster, served by Debian's `kcat`. */
export interface TestKafka {
  brokers: string[];
  /** Freezes the broker process (SIGSTOP): connections stay open and nothing is answered. */
  freeze(): void;
  /** Lets a frozen broker go on (SIGCONT): it answers what waited. */
  thaw(): void;
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

/** `brokers`: how many brokers the mock cluster has (three stand in for a production cluster). */
export async function startTestKafka(brokerCount = 1): Promise<TestKafka> {
  const proc = spawn('kcat', ['-X', `test.mock.num.brokers=${brokerCount}`, '-d', 'mock', '-b', 'localhost:1', '-C', '-t', 'ticketmoa-probe'], {
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
    freeze: () => proc.kill('SIGSTOP'),
    thaw: () => proc.kill('SIGCONT'),
    close: async () => {
      if (proc.exitCode !== null) return;
      proc.kill('SIGCONT');
      const gone = new Promise((r) => proc.on('exit', r));
      proc.kill('SIGKILL');
      await gone;
    },
  };
}

/**
 * A socket factory for kafkajs whose network can be cut: while down, every connection is
 * refused and open ones are destroyed, as when the brokers are unreachable. While stalled,
 * connections are accepted by a listener that never answers, as when packets are dropped.
 */
export function cuttableNetwork() {
  const open = new Set<net.Socket>();
  let mode: 'up' | 'down' | 'stalled' = 'up';
  let blackHole: { server: net.Server; port: number; held: Set<net.Socket> } | undefined;
  const socketFactory = ({ host, port, onConnect }: { host: string; port: number; onConnect: () => void }) => {
    const to =
      mode === 'up' ? { host, port } : mode === 'stalled' && blackHole ? { host: '127.0.0.1', port: blackHole.port } : { host: '127.0.0.1', port: 1 };
    const socket = net.connect(to, onConnect);
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    return socket;
  };
  const dropOpen = () => {
    for (const s of open) s.destroy();
  };
  return {
    socketFactory,
    cut() {
      mode = 'down';
      dropOpen();
    },
    async stall() {
      if (!blackHole) {
        const held = new Set<net.Socket>();
        const server = net.createServer((s) => {
          held.add(s);
          s.on('close', () => held.delete(s));
          s.on('error', () => {});
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        server.unref();
        blackHole = { server, port: (server.address() as net.AddressInfo).port, held };
      }
      mode = 'stalled';
      dropOpen();
    },
    restore() {
      mode = 'up';
    },
    async close() {
      dropOpen();
      if (!blackHole) return;
      for (const s of blackHole.held) s.destroy();
      const { server } = blackHole;
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Calls `onFrame` with each whole Kafka frame (4-byte size, then the request or response). */
function frameReader(onFrame: (frame: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
      const end = 4 + pending.readInt32BE(0);
      onFrame(pending.subarray(0, end));
      pending = pending.subarray(end);
    }
  };
}

const PRODUCE = 0;

/**
 * The answer a broker gives when it refuses every partition of a Produce request (v3–v8, what
 * kafkajs speaks) with `errorCode`, built from the request itself.
 */
function produceRefusal(request: Buffer, errorCode: number): Buffer {
  let at = 4;
  const version = request.readInt16BE(at + 2);
  const correlationId = request.readInt32BE(at + 4);
  if (version < 3 || version > 8) throw new Error(`produce v${version} is not handled by the test proxy`);
  at += 8;
  at += 2 + Math.max(0, request.readInt16BE(at)); // client id
  at += 2 + Math.max(0, request.readInt16BE(at)); // transactional id
  at += 2 + 4; // acks, timeout
  const out: Buffer[] = [];
  const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
  const int32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  const minusOne64 = Buffer.alloc(8, 0xff);
  out.push(int32(correlationId));
  const topics = request.readInt32BE(at);
  at += 4;
  out.push(int32(topics));
  for (let t = 0; t < topics; t++) {
    const nameLength = request.readInt16BE(at);
    out.push(request.subarray(at, at + 2 + nameLength));
    at += 2 + nameLength;
    const partitions = request.readInt32BE(at);
    at += 4;
    out.push(int32(partitions));
    for (let p = 0; p < partitions; p++) {
      out.push(request.subarray(at, at + 4), int16(errorCode), minusOne64, minusOne64);
      if (version >= 5) out.push(minusOne64); // log start offset
      if (version >= 8) out.push(int32(0), int16(-1)); // record errors, error message
      at += 4;
      at += 4 + Math.max(0, request.readInt32BE(at));
    }
  }
  out.push(int32(0)); // throttle time
  const body = Buffer.concat(out);
  return Buffer.concat([int32(body.length), body]);
}

/** A proxy in front of each broker of a test cluster that watches and can refuse Produce requests. */
export interface KafkaProxy {
  /** Routes kafkajs's connections to the brokers through the proxy. */
  socketFactory: ISocketFactory;
  /** Whole-frame sizes (bytes on the wire) of the Produce requests the brokers received. */
  readonly produceRequestSizes: number[];
  /**
   * From now on a Produce request containing `marker` is answered with `errorCode` (say 10,
   * MESSAGE_TOO_LARGE) for all its partitions and never reaches the broker, as a broker that
   * refuses a record does.
   */
  refuseProduceContaining(marker: string, errorCode: number): void;
  readonly refusedRequests: number;
  close(): Promise<void>;
}

export async function startKafkaProxy(kafka: TestKafka): Promise<KafkaProxy> {
  const viaPort = new Map<string, number>();
  const servers: net.Server[] = [];
  const sockets = new Set<net.Socket>();
  const produceRequestSizes: number[] = [];
  let refusal: { marker: Buffer; errorCode: number } | undefined;
  let refusedRequests = 0;

  for (const broker of kafka.brokers) {
    const [host, port] = broker.split(':') as [string, string];
    const server = net.createServer((client) => {
      const upstream = net.connect({ host, port: Number(port) });
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => {
          sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
        s.on('error', () => {});
      }
      // Whole frames only in both directions, so a made-up answer never lands inside a real one.
      upstream.on(
        'data',
        frameReader((frame) => client.write(frame)),
      );
      client.on(
        'data',
        frameReader((frame) => {
          if (frame.readInt16BE(4) === PRODUCE) {
            if (refusal && frame.includes(refusal.marker)) {
              refusedRequests++;
              client.write(produceRefusal(frame, refusal.errorCode));
              return;
            }
            produceRequestSizes.push(frame.length);
          }
          upstream.write(frame);
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    viaPort.set(broker, (server.address() as net.AddressInfo).port);
    servers.push(server);
  }

  return {
    socketFactory: ({ host, port, onConnect }) => {
      const via = viaPort.get(`${host}:${port}`);
      return net.connect(via === undefined ? { host, port } : { host: '127.0.0.1', port: via }, onConnect);
    },
    produceRequestSizes,
    refuseProduceContaining(marker, errorCode) {
      refusal = { marker: Buffer.from(marker), errorCode };
    },
    get refusedRequests() {
      return refusedRequests;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    },
  };
}
