/**
 * The Yjs sync endpoint: Hocuspocus 4 behind our own `node:http` server, at `/sync`.
 *
 * Wiring (the simplest that authenticates, see TOOLCHAIN.md): Hocuspocus's own `Server`
 * drives sockets through crossws; we already have an HTTP server and `ws`, so we accept the
 * upgrade with a `ws` server in `noServer` mode and hand each socket to
 * `hocuspocus.handleConnection`, forwarding every message and the close to the returned
 * connection (which is exactly what `Server` does through crossws). Passing a socket alone is
 * not enough: nothing would ever feed it the auth message.
 *
 * Authorization is per document in `onAuthenticate`: the token must name an enabled user and
 * `accessTo` (shared with the client) decides: none → refused before anything is loaded or
 * sent; 'read' → `connectionConfig.readOnly = true`, which makes Hocuspocus drop that
 * connection's sync-step-2 and update messages (MessageReceiver answers them with
 * "not synced") while still sending it every change. An open connection is judged again on
 * every message it sends and, for the ones that only listen, every few seconds and whenever
 * a coordinator changes someone's grids: a disabled account or a narrower scope closes it
 * (the admin CLI is another process, hence the sweep).
 *
 * Hocuspocus reads and writes each socket through a `SocketGuard` (sync-limits.ts), which holds
 * the socket to its budgets; the guard is also in every document's context (Hocuspocus copies
 * the default context per document, shallowly, so all of a socket's documents share it), where
 * `onAuthenticate` counts the documents open on the socket.
 *
 * `flushDelay: false`: with the default batching, the update that loads a cold document can be
 * broadcast again after sync step 2, so the first client receives the whole document twice
 * (TOOLCHAIN.md measured it). Sending each update at once costs nothing at our edit rates;
 * tests/sync/server-sync.test.ts checks a cold document arrives once.
 */
import { Hocuspocus, type Extension } from '@hocuspocus/server';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData } from 'ws';
import * as Y from 'yjs';
import { accessTo, parseDocumentName, type Access, type User } from '../src/lib/domain/access';
import * as communityIndex from '../src/lib/data/community-index-doc';
import * as register from '../src/lib/data/register-doc';
import * as acknowledgement from '../src/lib/sync/acknowledgement';
import { checkUpdate } from './change-check';
import { syncUpdateOf } from './sync-message';
import { createSocketLimits, HOCUSPOCUS_LIMITS, SYNC_LIMITS, type SocketGuard } from './sync-limits';
import { authenticate, type Tokens } from './auth';
import type { Communities } from './communities';
import type { DocumentStore } from './store/document-store';
import { createPersistence } from './store/persistence';
import type { Users } from './users';
import { requestPath } from './request-path';
import { log as logLine } from './log';

export const SYNC_PATH = '/sync';

/** How often open connections are judged again against the accounts in the database. */
const REVALIDATE_EVERY_MS = 5_000;

/** What a sync connection knows about its user and its socket (Hocuspocus `context`). */
export interface SyncContext {
	user: User;
	access: Access;
	socket: SocketGuard;
}

export interface SyncDependencies {
	store: DocumentStore;
	users: Users;
	tokens: Tokens;
	communities: Communities;
	compactEvery?: number;
	log?: (message: string, error?: unknown) => void;
}

/** The access `user`'s account grants now to `documentName`, read afresh from the database. */
function currentAccess(deps: SyncDependencies, user: User, documentName: string): { user: User; access: Access | null } {
	const fresh = deps.users.get(user.username);
	const ref = parseDocumentName(documentName);
	return { user: fresh ?? user, access: fresh && ref ? accessTo(fresh, ref) : null };
}

/** An open connection whose access was withdrawn or narrowed; Hocuspocus closes it with this. */
class AccessChanged extends Error {
	readonly code = 4403;
	readonly reason = 'access-changed';
}

/** A refusal the client sees as `authenticationFailed` with this reason. */
class SyncRefused extends Error {
	constructor(
		readonly reason: 'invalid-token' | 'forbidden' | 'too-many-documents',
		message: string
	) {
		super(message);
	}
}

function authorization(deps: SyncDependencies): Extension {
	return {
		extensionName: 'GridwalkAuthorization',
		async onAuthenticate({ token, documentName, connectionConfig, context }): Promise<Omit<SyncContext, 'socket'>> {
			let user: User;
			try {
				user = await authenticate(token, deps.tokens, deps.users);
			} catch {
				throw new SyncRefused('invalid-token', `refused ${documentName}: invalid token or disabled user`);
			}
			const ref = parseDocumentName(documentName);
			const access = ref ? accessTo(user, ref) : null;
			if (!access) throw new SyncRefused('forbidden', `refused ${documentName} to ${user.username}`);
			if (!(context as SyncContext).socket.admitDocument()) {
				throw new SyncRefused('too-many-documents', `refused ${documentName}: ${SYNC_LIMITS.maxDocumentsPerSocket} documents open on one socket`);
			}
			connectionConfig.readOnly = access === 'read';
			return { user, access };
		},
		async beforeHandleMessage({ context, documentName }) {
			const granted = context as SyncContext;
			const now = currentAccess(deps, granted.user, documentName);
			if (now.access !== granted.access) throw new AccessChanged();
			granted.user = now.user;
		},
		async onDisconnect({ context }) {
			(context as SyncContext).socket.releaseDocument();
		}
	};
}

/** A change refused by the checks; the client's provider sees the reason as the close reason. */
class ChangeRefused extends Error {
	/** Hocuspocus closes that document's connection with this code and reason. */
	readonly code = 4422;
	readonly reason: string;
	constructor(reason: string) {
		super(reason);
		this.reason = `refused: ${reason}`;
	}
}

/**
 * Every change a client sends is checked against its document's shape (see change-check.ts)
 * and, if it passes and adds anything, stored before Hocuspocus applies, relays and
 * acknowledges it. A refused change closes that document's connection with the reason; the
 * client keeps it, unacknowledged.
 */
function intake(deps: SyncDependencies, persistence: ReturnType<typeof createPersistence>): Extension {
	const log = deps.log ?? logLine;
	return {
		extensionName: 'GridwalkIntake',
		async beforeHandleMessage({ update: message, document, documentName, context, connection }) {
			if (connection.readOnly) return;
			let update: Uint8Array | null;
			try {
				update = syncUpdateOf(message);
			} catch {
				throw new ChangeRefused('malformed message');
			}
			if (!update) return;
			const { user } = context as SyncContext;
			const shape = parseDocumentName(documentName)?.kind === 'index' ? communityIndex.shape : register.shape;
			const check = checkUpdate(document, update, shape, user);
			if (!check.ok) {
				log(`[sync] refused a change to ${documentName} from ${user.username}: ${check.reason}`);
				throw new ChangeRefused(check.reason);
			}
			if (check.changes) await persistence.receive(documentName, document, update, connection);
		}
	};
}

/** Copies an index document's grid ids to the communities table whenever it is stored. */
function gridDirectory(communities: Communities): Extension {
	return {
		extensionName: 'GridwalkGridDirectory',
		async onStoreDocument({ documentName, document }) {
			const ref = parseDocumentName(documentName);
			if (ref?.kind !== 'index') return;
			const index = communityIndex.read(document);
			if (index.community) communities.put(index.community);
			communities.setGridIds(
				ref.communityId,
				index.grids.map((grid) => grid.id)
			);
		}
	};
}

/** Answers a client asking what the server holds of a document (see acknowledgement.ts). */
const stateVectors: Extension = {
	extensionName: 'GridwalkStateVectors',
	async onStateless({ payload, document, connection }) {
		if (payload === acknowledgement.REQUEST) connection.sendStateless(acknowledgement.reply(Y.encodeStateVector(document)));
	}
};

/** A Fetch `Request` for Hocuspocus hooks (headers and query), from Node's request. */
function toFetchRequest(request: IncomingMessage): Request {
	const headers = new Headers();
	for (const [name, value] of Object.entries(request.headers)) {
		if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
	}
	return new Request(new URL(request.url ?? '/', 'http://localhost'), { headers });
}

function toBytes(data: RawData): Uint8Array {
	const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
	return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export function createSync(deps: SyncDependencies) {
	const persistence = createPersistence(deps.store, { compactEvery: deps.compactEvery, log: deps.log });
	const hocuspocus = new Hocuspocus({
		name: 'gridwalk',
		quiet: true,
		flushDelay: false,
		...HOCUSPOCUS_LIMITS,
		extensions: [authorization(deps), intake(deps, persistence), persistence.extension, gridDirectory(deps.communities), stateVectors]
	});
	// One message per event-loop turn per socket: a socket's flood of small frames cannot hold the
	// loop while everyone else waits. A first sync is mostly repetitive JSON, so messages past 1 KiB
	// are deflated (a whole community: ~6.9 MB → ~1.6 MB on the wire); no compression state is kept
	// between messages, so an idle device costs no zlib memory. `maxPayload` bounds the inflated size.
	const sockets = new WebSocketServer({
		noServer: true,
		maxPayload: SYNC_LIMITS.maxMessageBytes,
		allowSynchronousEvents: false,
		perMessageDeflate: { threshold: 1024, serverNoContextTakeover: true, clientNoContextTakeover: true }
	});
	const limits = createSocketLimits();

	/** Closes every open connection whose account no longer grants the access it was opened with. */
	function revalidate(): void {
		for (const document of hocuspocus.documents.values()) {
			for (const connection of document.getConnections()) {
				const granted = connection.context as SyncContext | undefined;
				if (!granted?.user) continue;
				if (currentAccess(deps, granted.user, document.name).access !== granted.access)
					connection.close({ code: 4403, reason: 'access-changed' });
			}
		}
	}
	const sweep = setInterval(revalidate, REVALIDATE_EVERY_MS);
	sweep.unref();

	return {
		hocuspocus,
		revalidate,

		/** For the HTTP server's `upgrade` event: accepts `/sync`, refuses anything else. */
		handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
			const path = requestPath(request.url);
			if (path !== SYNC_PATH) {
				socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
				return;
			}
			sockets.handleUpgrade(request, socket, head, (websocket) => {
				const guard = limits.attach(websocket, (data) => connection.handleMessage(data));
				const context: Pick<SyncContext, 'socket'> = { socket: guard };
				const connection = hocuspocus.handleConnection(guard, toFetchRequest(request), context);
				websocket.on('message', (data) => guard.receive(toBytes(data)));
				websocket.on('close', (code, reason) => connection.handleClose({ code, reason: reason.toString() }));
				// A broken socket also emits 'close', which cleans up; nothing else to do here.
				websocket.on('error', () => {});
			});
		},

		/** Closes every connection and compacts every loaded document. */
		async close(): Promise<void> {
			clearInterval(sweep);
			limits.close();
			hocuspocus.closeConnections();
			for (const websocket of sockets.clients) websocket.terminate();
			// Run the debounced store hooks (the grid directory) now, not after the database closed.
			await Promise.all(
				[...hocuspocus.documents.keys()].map((name) => hocuspocus.debouncer.executeNow(`onStoreDocument-${name}`))
			);
			await persistence.flush(hocuspocus.documents);
			await new Promise<void>((resolve) => sockets.close(() => resolve()));
		}
	};
}
