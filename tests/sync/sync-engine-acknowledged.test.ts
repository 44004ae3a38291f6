/**
 * The app's sync engine against the real server: what it reports as acknowledged is what the
 * server really stored, also when acknowledgements of updates queued offline arrive before the
 * server has dealt with the rest, and it reconnects at once when the browser says it is online
 * again while the socket still looks open, a document syncs only once it is read from the
 * device, and a first sync is kept on the device whole, with what is typed after it.
 */
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { v7 as uuid } from 'uuid';
import * as register from '$lib/data/register-doc';
import { LOCAL_ORIGIN, SyncEngine } from '$lib/sync/sync-engine';
import { visit } from '../fixtures/events';
import { connectSynced, login, waitFor } from './support/clients';
import { startServerProcess, type ServerProcess } from './support/server-process';

// The browser the engine expects: a window for online/offline events, navigator.onLine, WebSocket.
Object.assign(globalThis, { window: new EventTarget(), WebSocket });
Object.defineProperty(globalThis, 'navigator', { value: { onLine: true }, configurable: true });

const DOC = 'c1/register/g01';
let server: ServerProcess;
let token: string;
let engine: SyncEngine | undefined;

beforeAll(async () => {
	server = await startServerProcess({});
	token = await login(server.url, 'worker1');
});
afterEach(async () => {
	await engine?.wipe();
	engine = undefined;
});
afterAll(async () => {
	await server?.stop();
});

/** An engine for worker1's register, neither read from IndexedDB nor connected yet. */
function createEngine() {
	const acknowledged: Map<number, number>[] = [];
	const closedByServer: string[] = [];
	const created = new SyncEngine({
		url: server.syncUrl,
		token,
		username: 'worker1',
		documents: [{ name: DOC, access: 'write' }],
		onAcknowledged: (_, stateVector) => acknowledged.push(Y.decodeStateVector(stateVector)),
		onConnectionChange: () => {},
		onAuthenticationFailed: (_, reason) => closedByServer.push(reason),
		onClosedByServer: (_, reason) => closedByServer.push(reason)
	});
	engine = created;
	return { engine: created, acknowledged, closedByServer };
}

async function startEngine() {
	const { engine: started, acknowledged, closedByServer } = createEngine();
	await started.loadLocal();
	started.connect();
	const doc = started.replicas.get(DOC)!.doc;
	await waitFor('the first acknowledgement', () => acknowledged.length > 0);
	return { engine: started, doc, acknowledged, closedByServer };
}

function writeVisit(doc: Y.Doc, user = 'worker1'): string {
	const id = uuid();
	register.change(doc, (w) => w.append(visit({ id, user, entity: 'cp1-b1-1-101' })), LOCAL_ORIGIN);
	return id;
}

/** Whether the server holds the event: read by a separate client. */
async function serverHas(eventId: string): Promise<boolean> {
	const coordinator = await login(server.url, 'coordinator');
	const reader = await connectSynced(server.syncUrl, DOC, coordinator);
	try {
		return register.hasEvent(reader.doc, eventId);
	} finally {
		reader.destroy();
	}
}

const goOffline = () => window.dispatchEvent(new Event('offline'));
const goOnline = () => window.dispatchEvent(new Event('online'));

describe('sync engine acknowledgements', () => {
	test('a change the server refuses is never reported as stored, though a change queued before it is acknowledged first', async () => {
		const { doc, acknowledged, closedByServer } = await startEngine();
		const held = (id: string) => acknowledged.some((sv) => register.hasEventWithin(doc, id, sv));

		const first = writeVisit(doc);
		await waitFor('the first visit to be acknowledged', () => held(first));

		// Offline: a valid visit, then one the server refuses (written as another user), both queued.
		goOffline();
		const valid = writeVisit(doc);
		const refused = writeVisit(doc, 'worker2');
		goOnline();
		// The queued valid update is acknowledged, which brings the provider's count to 0, then the
		// refused one closes the document's connection.
		await waitFor('the server to refuse the other user’s visit', () => closedByServer.some((r) => r.startsWith('refused: ')));
		// Reconnecting (the next time the browser is online) reports what the server holds.
		goOffline();
		goOnline();
		await waitFor('the valid visit to be acknowledged', () => held(valid));
		expect(held(refused)).toBe(false);
		expect(await serverHas(valid)).toBe(true);
		expect(await serverHas(refused)).toBe(false);
	});

	test('back online while the socket still looks open: it reconnects at once and sends what it holds', async () => {
		const { engine: started, doc, acknowledged } = await startEngine();
		const held = (id: string) => acknowledged.some((sv) => register.hasEventWithin(doc, id, sv));
		// The signal went away: the socket still counts as open, but nothing it sends arrives.
		const socket = (started as unknown as { socket: { webSocket: WebSocket } }).socket.webSocket;
		socket.send = () => {};
		const lost = writeVisit(doc);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(held(lost)).toBe(false);

		goOnline();
		// Well under the provider's own 30 s silence timeout.
		await waitFor('the visit to be acknowledged after the online event', () => held(lost), 5_000);
		expect(await serverHas(lost)).toBe(true);
	});

	test('a change sent ahead of the reconnect\'s sync step 2 is refused as out of order, and the engine resyncs that document by itself', async () => {
		const { engine: started, doc, acknowledged, closedByServer } = await startEngine();
		const held = (id: string) => acknowledged.some((sv) => register.hasEventWithin(doc, id, sv));
		goOffline();
		const offline = writeVisit(doc);
		// Typed the moment the socket opens again: the provider sends it before its sync step 2,
		// so it reaches the server ahead of the offline visit it builds on.
		let early = '';
		started.replicas.get(DOC)!.provider!.on('open', () => (early ||= writeVisit(doc)));
		goOnline();
		// The server's log says it refused the early visit (the engine does not report this refusal).
		await waitFor('the server to refuse the early visit', () => server.output().includes(`refused a change to ${DOC} from worker1: depends on changes`));
		// No reconnect from outside: the engine opens the document again and sends both.
		await waitFor('both visits to be acknowledged', () => early !== '' && held(offline) && held(early), 10_000);
		expect(await serverHas(offline)).toBe(true);
		expect(await serverHas(early)).toBe(true);
		// Nothing for the user to act on: the app is not told.
		expect(closedByServer).toEqual([]);
	});

	test('a document connected before it is read from the device syncs once read, not before: it never asks the server for what it holds', async () => {
		// A visit kept on the device from an earlier, offline session.
		const earlier = createEngine().engine;
		await earlier.loadLocal();
		const kept = writeVisit(earlier.replicas.get(DOC)!.doc);
		await earlier.close();

		const { engine: later, acknowledged } = createEngine();
		later.connect();
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(acknowledged).toEqual([]);
		expect(later.isLoaded(DOC)).toBe(false);
		expect(await serverHas(kept)).toBe(false);

		await later.load(DOC);
		const doc = later.replicas.get(DOC)!.doc;
		expect(register.hasEvent(doc, kept)).toBe(true);
		await waitFor('the kept visit to be acknowledged', () => acknowledged.some((sv) => register.hasEventWithin(doc, kept, sv)));
		expect(await serverHas(kept)).toBe(true);
	});

	test('a first sync is kept whole: read back from the device with no network, it is the server’s document, with a visit typed right after it', async () => {
		const coordinator = await login(server.url, 'coordinator');
		const reader = await connectSynced(server.syncUrl, DOC, coordinator);
		const households = register.households(reader.doc);
		const onServer = register.events(reader.doc).map((e) => e.id);
		reader.destroy();
		expect(households.length).toBeGreaterThan(0);

		const { engine: first, doc, acknowledged } = await startEngine();
		await waitFor('the server’s households', () => register.households(doc).length === households.length);
		const typed = writeVisit(doc);
		await waitFor('the visit to be acknowledged', () => acknowledged.some((sv) => register.hasEventWithin(doc, typed, sv)));
		await first.close();

		const { engine: offline } = createEngine();
		await offline.loadLocal();
		const kept = offline.replicas.get(DOC)!.doc;
		expect(register.events(kept).map((e) => e.id).sort()).toEqual([...onServer, typed].sort());
		expect(register.households(kept)).toEqual(households);
		expect(await serverHas(typed)).toBe(true);
	});
});
