/**
 * Real sync clients for server tests: `@hocuspocus/provider` in Node over `ws`, logged in
 * through `/api/login` like the app.
 */
import { HocuspocusProvider } from '@hocuspocus/provider';
import { WebSocket } from 'ws';
import * as Y from 'yjs';

export const DEMO_PASSWORD = 'gridwalk';

/** Polls `condition` until it holds; fails after `timeoutMs` with `what`. */
export async function waitFor(
	what: string,
	condition: () => boolean | Promise<boolean>,
	timeoutMs = 10_000,
	intervalMs = 20
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}

export async function login(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<string> {
	const response = await fetch(`${baseUrl}/api/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username, password })
	});
	if (response.status !== 200) throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
	return ((await response.json()) as { token: string }).token;
}

const SYNC_STATUS = 8;
const SYNC = 0;

export interface SyncClient {
	doc: Y.Doc;
	provider: HocuspocusProvider;
	/** Set once the server accepted the token for this document. */
	scope(): string | undefined;
	synced(): boolean;
	/** The reason given when the server refused the connection. */
	refusal(): string | undefined;
	/** Replies to our updates: true = applied, false = refused (read-only). */
	syncStatuses: boolean[];
	/** How many sync (document data) messages the server sent, and their bytes. */
	syncMessages(): number;
	syncBytes(): number;
	destroy(): void;
}

export function connect(syncUrl: string, name: string, token: string): SyncClient {
	const doc = new Y.Doc();
	let synced = false;
	let refusal: string | undefined;
	let syncMessages = 0;
	let syncBytes = 0;
	const syncStatuses: boolean[] = [];
	const provider = new HocuspocusProvider({
		url: syncUrl,
		name,
		token,
		document: doc,
		WebSocketPolyfill: WebSocket,
		// Short reconnect backoff: a destroyed provider's pending retry sleep (up to 30 s by
		// default) would otherwise keep the test worker alive after a server was killed.
		delay: 50,
		minDelay: 50,
		maxDelay: 250,
		onSynced: () => (synced = true),
		onAuthenticationFailed: ({ reason }) => (refusal = reason),
	} as ConstructorParameters<typeof HocuspocusProvider>[0]);
	// Registered on the provider, not as `onMessage` in its configuration: the configuration is
	// also handed to the socket, whose 'message' events carry raw frames.
	provider.on('message', ({ message }: { message: { data: ArrayBuffer; readVarString(): string; readVarUint(): number } }) => {
		// Our own copy of the frame: [document name][message type][payload]
		message.readVarString();
		const type = message.readVarUint();
		if (type === SYNC) {
			syncMessages++;
			syncBytes += message.data.byteLength;
		}
		// The status is a lib0 varInt; 0 and 1 encode as the same single byte as a varUint.
		if (type === SYNC_STATUS) syncStatuses.push(message.readVarUint() === 1);
	});
	return {
		doc,
		provider,
		scope: () => provider.authorizedScope,
		synced: () => synced,
		refusal: () => refusal,
		syncStatuses,
		syncMessages: () => syncMessages,
		syncBytes: () => syncBytes,
		destroy: () => {
			provider.destroy();
			doc.destroy();
		}
	};
}

/** Connects and waits for the first full sync. */
export async function connectSynced(syncUrl: string, name: string, token: string): Promise<SyncClient> {
	const client = connect(syncUrl, name, token);
	try {
		await waitFor(`${name} to sync`, () => client.synced() || client.refusal() !== undefined);
	} catch (error) {
		client.destroy();
		throw error;
	}
	if (client.refusal()) {
		client.destroy();
		throw new Error(`${name} refused: ${client.refusal()}`);
	}
	return client;
}
