/**
 * B1/B3's stand-in for the pipeline: node:http answering every request 200 with a small JSON body
 * shaped like the handler's, after reading the request body. Runs in its own process so the load
 * generator being measured keeps the bench process to itself. IPC: sends {type:'listening', url};
 * exits on {type:'stop'} or when the parent goes away.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = JSON.stringify({
  accepted: 1,
  duplicates: 0,
  keys: ['events/dt=2026-11-25/hour=02/3cfa6f1c-4624-4e47-b2c4-f70d46fa8eb7.json'],
  requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
});
const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: 'listening', url: `http://127.0.0.1:${port}` });
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('message', (message: { type?: string }) => {
  if (message.type === 'stop') stop();
});
process.on('disconnect', stop);
