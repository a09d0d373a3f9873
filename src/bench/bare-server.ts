import { createServer } from 'node:http';

/** The yardstick: a bare node:http server answering a constant JSON body. */
const body = JSON.stringify({ status: 'ok', service: 'bare node:http baseline' });
const port = Number(process.argv[2] ?? 0);

const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`listening ${address.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
