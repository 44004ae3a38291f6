/**
 * A loopback TCP proxy that counts the bytes passing through it both ways: what is really on the
 * wire, after any HTTP or WebSocket compression (DevTools reports WebSocket payloads inflated).
 */
import { createServer, connect, type Socket } from 'node:net';

export interface ByteProxy {
	/** `http://127.0.0.1:PORT`: the target's address through the proxy. */
	url: string;
	bytes(): number;
	reset(): void;
	close(): Promise<void>;
}

export async function startByteProxy(target: string): Promise<ByteProxy> {
	const { hostname, port } = new URL(target);
	let bytes = 0;
	const open = new Set<Socket>();
	const server = createServer((client) => {
		const upstream = connect(Number(port), hostname);
		for (const socket of [client, upstream]) {
			open.add(socket);
			socket.on('close', () => open.delete(socket));
			socket.on('error', () => {
				client.destroy();
				upstream.destroy();
			});
			socket.on('data', (chunk: Buffer) => (bytes += chunk.length));
		}
		client.pipe(upstream);
		upstream.pipe(client);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port: proxyPort } = server.address() as { port: number };
	return {
		url: `http://127.0.0.1:${proxyPort}`,
		bytes: () => bytes,
		reset: () => (bytes = 0),
		close: () =>
			new Promise((resolve) => {
				for (const socket of open) socket.destroy();
				server.close(() => resolve());
			})
	};
}
