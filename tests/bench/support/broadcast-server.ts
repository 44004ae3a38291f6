/**
 * The transport ceiling for the load benchmark: a plain `ws` server that relays each message to
 * every other socket on the same path (room), nothing else. Prints `listening <port>`.
 */
import { WebSocketServer, type WebSocket } from 'ws';

const rooms = new Map<string, Set<WebSocket>>();
const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
server.on('connection', (socket, request) => {
	const room = rooms.get(request.url ?? '/') ?? new Set<WebSocket>();
	rooms.set(request.url ?? '/', room);
	room.add(socket);
	socket.on('message', (data, binary) => {
		for (const other of room) if (other !== socket && other.readyState === other.OPEN) other.send(data, { binary });
	});
	socket.on('close', () => room.delete(socket));
});
server.on('listening', () => console.log(`listening ${(server.address() as { port: number }).port}`));
