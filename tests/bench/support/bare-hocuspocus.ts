/**
 * The baseline sync server: Hocuspocus with no authentication, no change check and no
 * persistence, on a free loopback port; prints `listening <port>` once ready. What is left of our
 * server's cost once this is subtracted is ours.
 */
import { Server } from '@hocuspocus/server';

const server = new Server({ address: '127.0.0.1', port: 0, quiet: true });
await server.listen();
console.log(`listening ${server.address.port}`);
