import net from 'node:net';
import tls from 'node:tls';
import type { ISocketFactory } from 'kafkajs';

/** kafkajs's own socket factory, plus a list of open sockets so a hung request can be cut. */
export function trackedSockets(base: ISocketFactory | undefined) {
  const open = new Set<net.Socket>();
  const plain: ISocketFactory = ({ host, port, ssl, onConnect }) => {
    const socket = ssl
      ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...ssl }, onConnect)
      : net.connect({ host, port }, onConnect);
    socket.setKeepAlive(true, 60_000);
    return socket;
  };
  const factory: ISocketFactory = (args) => {
    const socket = (base ?? plain)(args);
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    return socket;
  };
  return {
    factory,
    /** With an error, so kafkajs fails the requests waiting on them at once instead of at their timeout. */
    cutAll() {
      for (const socket of open) socket.destroy(new Error('the forwarder stopped waiting for kafka'));
    },
  };
}
