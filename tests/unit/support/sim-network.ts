/**
 * An in-process model of Gridwalk's sync, for the simulation test: devices and one server
 * exchanging the Hocuspocus sync messages (step 1 carries a state vector; step 2 and update
 * carry a Yjs update) over a network the test drives by hand. The test picks which message
 * arrives next (so they arrive out of order), may deliver one twice, cuts devices off, and
 * restarts the server and devices.
 *
 * The server does what server/sync.ts does, without sockets: a step 2 or update from a
 * writable connection is judged by the real `checkUpdate` against the document's shape;
 * refused, the connection is closed (the device keeps its change and sends it again from the
 * server's state vector when it reconnects, as the provider's sync step 1/2 does); accepted, it
 * is stored (appended to the document's log) before it is applied and relayed. Updates on a
 * read-only connection are dropped unjudged, as Hocuspocus does. A restart rebuilds every
 * document from that log. A device persists every update of its documents (as y-indexeddb
 * does) and restarts from them.
 */
import * as Y from 'yjs';
import { checkUpdate, type Writer } from '../../../server/change-check';
import type { Access } from '../../../src/lib/domain/access';
import type { DocumentShape } from '../../../src/lib/data/document-shape';

export type SyncMessage =
	| { type: 'step1'; stateVector: Uint8Array }
	| { type: 'step2'; update: Uint8Array }
	| { type: 'update'; update: Uint8Array };

/** One device's sync connection for one document; closing it loses what is still in flight. */
interface Connection {
	device: Device;
	document: string;
	access: Access;
	open: boolean;
}

interface Envelope {
	connection: Connection;
	toServer: boolean;
	message: SyncMessage;
}

export interface Refusal {
	device: string;
	document: string;
	reason: string;
}

/**
 * Yjs client ids, one per document object: a restarted replica writes under a new one, as a
 * reloaded page does. Counted, not random, so a seed replays the same run (concurrent map
 * writes are ordered by client id).
 */
export class ClientIds {
	private last = 0;
	next(): number {
		return ++this.last;
	}
}

/** A document rebuilt from stored updates, folded into one (what a compaction does). */
function load(updates: Uint8Array[], clientID: number): { doc: Y.Doc; updates: Uint8Array[] } {
	const doc = new Y.Doc();
	doc.clientID = clientID;
	for (const update of updates) Y.applyUpdate(doc, update);
	return { doc, updates: [Y.encodeStateAsUpdate(doc)] };
}

export class Device {
	readonly docs = new Map<string, Y.Doc>();
	/** What y-indexeddb would hold: every update of each document, local or remote. */
	private readonly persisted = new Map<string, Uint8Array[]>();
	readonly connections = new Map<string, Connection>();
	/** False while cut off: messages to and from it are lost, its connections look open. */
	reachable = true;
	send: (connection: Connection, message: SyncMessage) => void = () => {};

	constructor(
		readonly name: string,
		readonly writer: Writer,
		readonly documents: ReadonlyMap<string, Access>,
		private readonly clientIds: ClientIds
	) {
		for (const name of documents.keys()) this.persisted.set(name, []);
		this.restart();
	}

	/** The device starts again from what it persisted; its connections are gone. */
	restart(): void {
		for (const connection of this.connections.values()) connection.open = false;
		this.connections.clear();
		for (const [name, updates] of this.persisted) {
			const loaded = load(updates, this.clientIds.next());
			this.persisted.set(name, loaded.updates);
			loaded.doc.on('update', (update: Uint8Array, origin: unknown) => {
				this.persisted.get(name)!.push(update);
				const connection = this.connections.get(name);
				// The provider sends every change that did not come from the server.
				if (connection?.open && origin !== connection) this.send(connection, { type: 'update', update });
			});
			this.docs.set(name, loaded.doc);
		}
	}

	/** Each document as a fresh start would load it. */
	reloaded(): Map<string, Y.Doc> {
		return new Map([...this.persisted].map(([name, updates]) => [name, load(updates, this.clientIds.next()).doc]));
	}

	receive(connection: Connection, message: SyncMessage): void {
		const doc = this.docs.get(connection.document)!;
		if (message.type === 'step1') this.send(connection, { type: 'step2', update: Y.encodeStateAsUpdate(doc, message.stateVector) });
		else Y.applyUpdate(doc, message.update, connection);
	}
}

export class Server {
	readonly docs = new Map<string, Y.Doc>();
	/** The store: each document's log of accepted updates. */
	private readonly stored = new Map<string, Uint8Array[]>();
	private readonly connections = new Set<Connection>();
	readonly refusals: Refusal[] = [];
	send: (connection: Connection, message: SyncMessage) => void = () => {};

	constructor(
		private readonly shapeOf: (document: string) => DocumentShape,
		private readonly clientIds: ClientIds
	) {}

	/** Appends to the store (the demo seed writes there before the server starts). */
	seed(document: string, update: Uint8Array): void {
		this.stored.set(document, [...(this.stored.get(document) ?? []), update]);
	}

	doc(name: string): Y.Doc {
		let doc = this.docs.get(name);
		if (!doc) {
			doc = load(this.stored.get(name) ?? [], this.clientIds.next()).doc;
			doc.on('update', (update: Uint8Array, origin: unknown) => {
				for (const connection of this.connections)
					if (connection.open && connection.document === name && connection !== origin) this.send(connection, { type: 'update', update });
			});
			this.docs.set(name, doc);
		}
		return doc;
	}

	/** Each document as a restarted server would load it from the store. */
	reloaded(): Map<string, Y.Doc> {
		return new Map([...this.stored].map(([name, updates]) => [name, load(updates, this.clientIds.next()).doc]));
	}

	/** Drops every connection and every document in memory; they load again from the store. */
	restart(): void {
		for (const connection of this.connections) connection.open = false;
		this.connections.clear();
		this.docs.clear();
		for (const [name, updates] of this.stored) this.stored.set(name, load(updates, this.clientIds.next()).updates);
	}

	accept(connection: Connection): void {
		this.connections.add(connection);
		this.send(connection, { type: 'step1', stateVector: Y.encodeStateVector(this.doc(connection.document)) });
	}

	receive(connection: Connection, message: SyncMessage): void {
		const doc = this.doc(connection.document);
		if (message.type === 'step1') {
			this.send(connection, { type: 'step2', update: Y.encodeStateAsUpdate(doc, message.stateVector) });
			return;
		}
		if (connection.access === 'read') return;
		const check = checkUpdate(doc, message.update, this.shapeOf(connection.document), connection.device.writer);
		if (!check.ok) {
			this.refusals.push({ device: connection.device.name, document: connection.document, reason: check.reason });
			connection.open = false;
			this.connections.delete(connection);
			return;
		}
		if (!check.changes) return;
		this.seed(connection.document, message.update);
		Y.applyUpdate(doc, message.update, connection);
	}
}

/** The messages in flight between the devices and the server, delivered as the test says. */
export class Network {
	private inFlight: Envelope[] = [];

	constructor(
		readonly server: Server,
		readonly devices: readonly Device[]
	) {
		server.send = (connection, message) => this.inFlight.push({ connection, toServer: false, message });
		for (const device of devices) device.send = (connection, message) => this.inFlight.push({ connection, toServer: true, message });
	}

	get pending(): number {
		return this.inFlight.length;
	}

	/** Opens every document's connection the device lacks; both sides start with sync step 1. */
	connect(device: Device): void {
		if (!device.reachable) return;
		for (const [document, access] of device.documents) {
			if (device.connections.get(document)?.open) continue;
			const connection: Connection = { device, document, access, open: true };
			device.connections.set(document, connection);
			device.send(connection, { type: 'step1', stateVector: Y.encodeStateVector(device.docs.get(document)!) });
			this.server.accept(connection);
		}
	}

	disconnect(device: Device): void {
		for (const connection of device.connections.values()) connection.open = false;
	}

	/** The device loses signal without noticing: its open connections silently lose messages. */
	cutOff(device: Device): void {
		device.reachable = false;
	}

	/** Signal is back: the app closes the stale socket and connects again. */
	reconnect(device: Device): void {
		device.reachable = true;
		this.disconnect(device);
		this.connect(device);
	}

	/** Delivers the message at `index` (modulo what is in flight); `twice` leaves a copy behind. */
	deliver(index: number, twice = false): void {
		if (this.inFlight.length === 0) return;
		const at = index % this.inFlight.length;
		const envelope = this.inFlight[at];
		if (!twice) this.inFlight.splice(at, 1);
		const { connection, toServer, message } = envelope;
		if (!connection.open || !connection.device.reachable) return;
		if (toServer) this.server.receive(connection, message);
		else connection.device.receive(connection, message);
	}

	/** Heals everything and delivers in order until nothing is left; returns the refusals it caused. */
	settle(): Refusal[] {
		const before = this.server.refusals.length;
		for (const device of this.devices) this.reconnect(device);
		for (let delivered = 0; this.inFlight.length > 0; delivered++) {
			if (delivered > 100_000) throw new Error('sync does not settle');
			this.deliver(0);
		}
		return this.server.refusals.slice(before);
	}
}
