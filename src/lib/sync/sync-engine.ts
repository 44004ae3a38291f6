/**
 * Keeps the user's documents on the device and in sync with the server.
 *
 * Each granted document is a Y.Doc persisted in its own y-indexeddb database and, when online,
 * synced through one shared Hocuspocus WebSocket. A document is read from IndexedDB when asked
 * for (`load`), so a first screen need not wait for all of them, and syncs once it is loaded:
 * the app works with no network, and never asks the server for what the device already holds.
 *
 * Acknowledgement: the Hocuspocus provider counts changes the server has not confirmed
 * (`unsyncedChanges`); on every (re)connect it re-sends everything the server lacks and counts
 * that as one change. The count is only a hint (it can reach 0 early, see acknowledgement.ts):
 * each time it reaches 0, and on each authentication, the engine asks the server for its state
 * vector, and `onAcknowledged` reports that vector, which is exactly what the server has
 * stored. Asking after the handshake also covers a document whose connection the server closes
 * on every reconnect because it refuses one change: what it did take is still reported.
 */
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { HocuspocusProvider, HocuspocusProviderWebsocket, WebSocketStatus } from '@hocuspocus/provider';
import type { Access } from '../domain/access';
import * as acknowledgement from './acknowledgement';
import { applyAsReceived, emptyServerState, holdsNothing, serverStateIn } from './first-sync';
import { OUT_OF_ORDER } from '../data/document-shape';

export type ConnectionState = 'offline' | 'connecting' | 'online';

export interface Replica {
	name: string;
	access: Access;
	doc: Y.Doc;
	/** Created by the first `load`. */
	persistence?: IndexeddbPersistence;
	/** Resolves when the document holds what IndexedDB stored of it. */
	loaded?: Promise<void>;
	provider?: HocuspocusProvider;
}

export interface SyncEngineOptions {
	url: string;
	token: string;
	username: string;
	documents: readonly { name: string; access: Access }[];
	/** The server has stored everything `stateVector` covers of this document (and perhaps more since). */
	onAcknowledged: (documentName: string, stateVector: Uint8Array) => void;
	onConnectionChange: (state: ConnectionState) => void;
	/** The server refused the token (expired, or the user was disabled). */
	onAuthenticationFailed: (documentName: string, reason: string) => void;
	/**
	 * The server closed an open document: `refused: <why>` when it refused a change made here
	 * (the change stays on the device, unacknowledged), `access-changed` when the account's
	 * grants changed while connected. Not called for changes refused only as out of order: the
	 * engine sends those again itself.
	 */
	onClosedByServer: (documentName: string, reason: string) => void;
}

/** How long to wait before opening a document the server closed for changes out of order. */
const RESYNC_DELAY_MS = 1_000;

/** Origin of changes made on this device, so observers can tell them from remote ones. */
export const LOCAL_ORIGIN = 'local';

export function localDatabaseName(username: string, documentName: string): string {
	return `gridwalk:${username}:${documentName}`;
}

/** Gives a document that holds nothing the server's state as it arrived (see first-sync.ts). */
class Provider extends HocuspocusProvider {
	override onMessage(event: MessageEvent): void {
		const state = holdsNothing(this.document) ? serverStateIn(new Uint8Array(event.data)) : undefined;
		if (!state) return super.onMessage(event);
		try {
			applyAsReceived(this.document, state.update, this);
		} finally {
			super.onMessage(new MessageEvent('message', { data: emptyServerState(state.routingKey) }));
		}
	}
}

export class SyncEngine {
	readonly replicas = new Map<string, Replica>();
	private readonly loaded = new Set<string>();
	private closed = false;
	private socket?: HocuspocusProviderWebsocket;
	private readonly options: SyncEngineOptions;
	private readonly onOnline = () => {
		const socket = this.socket;
		if (!socket) return;
		// Back online while the socket still counts as connected: it may be one that died with the
		// signal and would only be noticed after its 30 s silence timeout. Replace it at once.
		if (socket.status === WebSocketStatus.Connected) socket.onClose({ event: { code: 4000, reason: 'online again' } });
		void socket.connect();
	};
	private readonly onOffline = () => {
		// An open socket outlives the loss of signal and silently drops messages: close it, and
		// reconnect (re-sending everything the server lacks) when the browser is back online.
		this.socket?.disconnect();
		this.options.onConnectionChange('offline');
	};

	constructor(options: SyncEngineOptions) {
		this.options = options;
		// Named by their document name: Yjs would otherwise draw a random guid for each (31 calls to
		// crypto.getRandomValues; ~25 ms of an offline start at 4× CPU for 41 documents), used only
		// by subdocuments.
		for (const { name, access } of options.documents) this.replicas.set(name, { name, access, doc: new Y.Doc({ guid: name }) });
	}

	/**
	 * Reads a document from IndexedDB (once; later calls share the first), then syncs it if the
	 * engine is connected. Nothing may write to the document before this resolves.
	 */
	load(name: string): Promise<void> {
		const replica = this.replicas.get(name);
		if (!replica || this.closed) return Promise.reject(new Error(`cannot load ${name}: ${replica ? 'closed' : 'not granted'}`));
		if (replica.loaded) return replica.loaded;
		const { doc } = replica;
		const persistence = new IndexeddbPersistence(localDatabaseName(this.options.username, name), doc);
		// While y-indexeddb applies what it stored, its own update listener makes Yjs encode the
		// whole document again only to be ignored (a quarter of an offline start). Nothing writes
		// to the document before it is loaded, so it listens from then on.
		doc.off('update', persistence._storeUpdate);
		replica.persistence = persistence;
		replica.loaded = persistence.whenSynced.then(() => {
			doc.on('update', persistence._storeUpdate);
			this.loaded.add(name);
			if (this.socket) this.attach(replica, this.socket);
		});
		return replica.loaded;
	}

	/** Resolves when every document has been read from IndexedDB. */
	async loadLocal(): Promise<void> {
		await Promise.all([...this.replicas.keys()].map((name) => this.load(name)));
	}

	isLoaded(name: string): boolean {
		return this.loaded.has(name);
	}

	/**
	 * Starts syncing the loaded documents with the server, and the others as they load; reconnects
	 * by itself, and on the browser's `online` event.
	 */
	connect(): void {
		if (this.socket) return;
		const socket = new HocuspocusProviderWebsocket({
			url: this.options.url,
			// Offline, a socket would only fail and retry: it connects when the browser is online again.
			autoConnect: navigator.onLine,
			maxDelay: 5_000,
			onStatus: ({ status }) =>
				this.options.onConnectionChange(
					status === WebSocketStatus.Connected ? 'online' : status === WebSocketStatus.Connecting ? 'connecting' : 'offline'
				)
		});
		this.socket = socket;
		for (const replica of this.replicas.values()) if (this.isLoaded(replica.name)) this.attach(replica, socket);
		window.addEventListener('online', this.onOnline);
		window.addEventListener('offline', this.onOffline);
		if (!navigator.onLine) this.onOffline();
	}

	private attach(replica: Replica, socket: HocuspocusProviderWebsocket): void {
		const provider = new Provider({
			websocketProvider: socket,
			name: replica.name,
			document: replica.doc,
			token: this.options.token,
			onUnsyncedChanges: ({ number }) => {
				if (number === 0 && provider.isAuthenticated) provider.sendStateless(acknowledgement.REQUEST);
			},
			// Answered before the server reads this connection's sync step 2 (which it may refuse).
			onAuthenticated: () => provider.sendStateless(acknowledgement.REQUEST),
			onStateless: ({ payload }) => {
				const stateVector = acknowledgement.parseReply(payload);
				if (stateVector) this.options.onAcknowledged(replica.name, stateVector);
			},
			onAuthenticationFailed: ({ reason }) => this.options.onAuthenticationFailed(replica.name, reason),
			// Also called when the socket closes, with the socket's (empty) reason.
			onClose: ({ event }) => {
				const reason = (event as { reason?: string } | undefined)?.reason ?? '';
				if (reason === `refused: ${OUT_OF_ORDER}`) this.resyncLater(provider);
				else if (reason.startsWith('refused: ') || reason === 'access-changed') this.options.onClosedByServer(replica.name, reason);
			}
		});
		// A provider on a shared socket only syncs once attached (it fails silently otherwise).
		provider.attach();
		replica.provider = provider;
	}

	/**
	 * Opens a document the server closed again, on the same socket: its sync step 2 then carries
	 * everything the server lacks, in order. Delayed, so a device that keeps sending something the
	 * server cannot place costs one exchange every few seconds, not a loop.
	 */
	private resyncLater(provider: HocuspocusProvider): void {
		setTimeout(() => {
			const socket = this.socket;
			if (!socket || socket !== provider.configuration.websocketProvider) return;
			// On an open socket this authenticates the provider again and syncs from scratch. (Not
			// detach(): the close message it sends would reach the server first and shut the new one.)
			socket.attach(provider);
		}, RESYNC_DELAY_MS);
	}

	/** Stops syncing and closes the local databases; the data stays on the device. */
	async close(): Promise<void> {
		this.closed = true;
		window.removeEventListener('online', this.onOnline);
		window.removeEventListener('offline', this.onOffline);
		for (const replica of this.replicas.values()) replica.provider?.destroy();
		this.socket?.destroy();
		this.socket = undefined;
		await Promise.all([...this.replicas.values()].map((r) => r.persistence?.destroy()));
		for (const replica of this.replicas.values()) replica.doc.destroy();
	}

	/**
	 * Stops syncing and deletes every document of this user from the device, including those of
	 * grids the user no longer has.
	 */
	async wipe(): Promise<void> {
		await this.close();
		const prefix = localDatabaseName(this.options.username, '');
		const stored = (await indexedDB.databases()).flatMap((d) => (d.name?.startsWith(prefix) ? [d.name] : []));
		const open = [...this.replicas.keys()].map((n) => localDatabaseName(this.options.username, n));
		await Promise.all([...new Set([...stored, ...open])].map(deleteDatabase));
	}
}

export function deleteDatabase(name: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const request = indexedDB.deleteDatabase(name);
		request.onsuccess = () => resolve();
		request.onerror = () => reject(request.error);
		// Another tab still has it open: it is deleted once that tab closes it.
		request.onblocked = () => resolve();
	});
}
