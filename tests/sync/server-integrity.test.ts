/**
 * The integrity promise against the real server process: a change that does not fit the shared
 * schemas is refused with a reason and never stored or relayed, and a change the server
 * acknowledged survives the process being killed at any moment of a write burst; what was not
 * acknowledged reaches the server when the client reconnects.
 */
import Database from 'better-sqlite3';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as communityIndex from '../../src/lib/data/community-index-doc';
import type { DocumentShape } from '../../src/lib/data/document-shape';
import * as register from '../../src/lib/data/register-doc';
import * as events from '../../src/lib/domain/events';
import * as hlc from '../../src/lib/domain/hlc';
import { connectSynced, login, waitFor, type SyncClient } from './support/clients';
import { openRaw, type RawSyncClient } from './support/raw-client';
import { startServerProcess, tempDir, type ServerProcess } from './support/server-process';

const G01 = 'c1/register/g01';
const G02 = 'c1/register/g02';

let clock = hlc.create('integrity-test', Date.now());
function visit(id: string, user: string, note = ''): events.LogEvent {
	const made = events.createEvent({ kind: 'visit', entity: 'b1-1-0101', user, value: { outcome: 'done', note } }, clock, Date.now(), id);
	clock = made.clock;
	return made.event;
}

/** The update that appending `event` to `doc` produces, as a provider would send it. */
function appendUpdate(doc: Y.Doc, event: unknown, raw = false): Uint8Array {
	let update: Uint8Array | undefined;
	const listener = (u: Uint8Array) => (update = u);
	doc.on('update', listener);
	if (raw) doc.getMap('events').set((event as { id: string }).id, event);
	else register.change(doc, (w) => w.append(event as events.LogEvent));
	doc.off('update', listener);
	return update!;
}

/**
 * Every document in the server's database, as the server would load it. One read transaction:
 * the server may compact between two separate reads (snapshot, then log).
 */
function storedDocuments(dataDir: string): Map<string, Y.Doc> {
	const db = new Database(join(dataDir, 'gridwalk.sqlite'), { readonly: true });
	try {
		type Row = { name: string; data: Buffer };
		const read = db.transaction(() => ({
			snapshots: db.prepare('SELECT name, data FROM document_snapshots').all() as Row[],
			updates: db.prepare('SELECT name, data FROM document_updates ORDER BY seq').all() as Row[]
		}));
		const { snapshots, updates } = read();
		const docs = new Map<string, Y.Doc>();
		for (const row of [...snapshots, ...updates]) {
			if (!docs.has(row.name)) docs.set(row.name, new Y.Doc());
			Y.applyUpdate(docs.get(row.name)!, row.data);
		}
		return docs;
	} finally {
		db.close();
	}
}

/** Entries of `doc` that do not fit `shape` exactly (stated independently of the server's check). */
function misfits(doc: Y.Doc, shape: DocumentShape): string[] {
	const found: string[] = [];
	for (const name of doc.share.keys()) {
		const map = shape[name];
		if (!map) {
			found.push(`unknown map ${name}`);
			continue;
		}
		for (const [key, value] of doc.getMap(name).entries()) {
			const parsed = map.schema.safeParse(value);
			if (!parsed.success || !isDeepStrictEqual(parsed.data, value) || map.keyOf(parsed.data) !== key) found.push(`${name}/${key}`);
		}
	}
	return found;
}

function expectStoredDocumentsValid(dataDir: string) {
	const docs = storedDocuments(dataDir);
	expect(docs.size).toBeGreaterThan(2);
	for (const [name, doc] of docs) {
		const shape = name.endsWith('/index') ? communityIndex.shape : register.shape;
		expect(misfits(doc, shape), name).toEqual([]);
	}
}

const data = tempDir('gridwalk-integrity-');

describe('integrity (real server process)', () => {
	let server: ServerProcess;
	const tokens: Record<string, string> = {};
	const open: (SyncClient | RawSyncClient)[] = [];
	const closeAll = () => {
		for (const client of open.splice(0)) 'destroy' in client ? client.destroy() : client.close();
	};

	beforeAll(async () => {
		server = await startServerProcess({ dataDir: data.path });
		for (const user of ['coordinator', 'worker1', 'worker2']) tokens[user] = await login(server.url, user);
	});

	afterAll(async () => {
		closeAll();
		await server?.stop();
		data.remove();
	});

	/** A raw worker1 connection to g01 holding the server's current state. */
	async function rawWorker() {
		const replica = await connectSynced(server.syncUrl, G01, tokens.worker1);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(replica.doc));
		replica.destroy();
		const raw = await openRaw(server.syncUrl, G01, tokens.worker1);
		open.push(raw);
		return { raw, doc };
	}

	it.each([
		['an event in another user’s name', () => visit('forged', 'worker2'), "events/forged: written in another user's name"],
		['an unknown field', () => ({ ...visit('extra-field', 'worker1'), extra: 'x' }), 'events/extra-field: value: Unrecognized key: "extra"'],
		['a wrong type', () => ({ ...visit('wrong-type', 'worker1'), hlc: 42 }), 'events/wrong-type: hlc: Invalid input: expected string, received number'],
		['a huge string', () => ({ ...visit('huge', 'worker1'), value: { outcome: 'done', note: 'x'.repeat(1_000_000) } }), 'events/huge: value.note: Too big: expected string to have <=500 characters']
	])('refuses %s with a reason, stores and relays nothing of it', async (_name, make, reason) => {
		const watcher = await connectSynced(server.syncUrl, G01, tokens.coordinator);
		open.push(watcher);
		const { raw, doc } = await rawWorker();
		const event = make() as { id: string };
		raw.sendUpdate(appendUpdate(doc, event, true));
		await waitFor('the refusal', () => raw.closeReason() !== undefined);
		expect(raw.closeReason()).toBe(`refused: ${reason}`);
		expect(raw.acks).toEqual([]);

		// The server is fine and still relays a good change from another worker's connection.
		const good = await rawWorker();
		good.raw.sendUpdate(appendUpdate(good.doc, visit(`good-after-${event.id}`, 'worker1')));
		await waitFor('the good change to be acknowledged', () => good.raw.acks.length === 1);
		await waitFor('the good change to reach the coordinator', () => register.hasEvent(watcher.doc, `good-after-${event.id}`));
		expect(good.raw.acks).toEqual([true]);
		expect(watcher.doc.getMap('events').has(event.id)).toBe(false);
		expect(server.output()).toContain(`refused a change to ${G01} from worker1: ${reason}`);
		closeAll();
	});

	it('keeps stored documents valid after every refused attempt', () => {
		expectStoredDocumentsValid(data.path);
		const stored = storedDocuments(data.path).get(G01)!;
		for (const id of ['forged', 'extra-field', 'wrong-type', 'huge']) expect(stored.getMap('events').has(id)).toBe(false);
		expect(stored.getMap('events').has('good-after-forged')).toBe(true);
	});

	it('keeps every acknowledged change when killed mid-burst, and gets the rest on reconnect', async () => {
		// Several rounds, each killing the server at another moment of the burst: once this many
		// changes were acknowledged (counted, not timed: the machine may be slow).
		for (const [round, killAfterAcks] of [3, 40, 150].entries()) {
			const writers = await Promise.all(
				[
					{ user: 'worker1', name: G01 },
					{ user: 'worker2', name: G02 },
					{ user: 'coordinator', name: G01 }
				].map(async ({ user, name }) => {
					const replica = await connectSynced(server.syncUrl, name, tokens[user]);
					const doc = new Y.Doc();
					Y.applyUpdate(doc, Y.encodeStateAsUpdate(replica.doc));
					replica.destroy();
					return { user, name, doc, raw: await openRaw(server.syncUrl, name, tokens[user]), sent: [] as string[] };
				})
			);
			let burning = true;
			const burst = writers.map(async (writer) => {
				for (let i = 0; burning && i < 5_000; i++) {
					const id = `r${round}-${writer.user}-${i}`;
					// At most 50 unacknowledged at a time, like a provider on a slow link.
					while (burning && writer.sent.length - writer.raw.acks.length >= 50) await new Promise((r) => setTimeout(r, 1));
					if (!burning || !writer.raw.socketOpen()) break;
					writer.raw.sendUpdate(appendUpdate(writer.doc, visit(id, writer.user)));
					writer.sent.push(id);
					if (i % 10 === 0) await new Promise((r) => setImmediate(r));
				}
			});
			await waitFor('acknowledgements', () => writers.reduce((n, w) => n + w.raw.acks.length, 0) >= killAfterAcks, 30_000, 1);
			await server.stop('SIGKILL');
			burning = false;
			await Promise.all(burst);
			for (const w of writers) expect(w.raw.acks.every(Boolean)).toBe(true);
			const acknowledged = writers.flatMap((w) => w.sent.slice(0, w.raw.acks.length));
			const unacknowledged = writers.flatMap((w) => w.sent.slice(w.raw.acks.length));
			expect(acknowledged.length, `round ${round}: some changes acknowledged before the kill`).toBeGreaterThan(0);
			for (const w of writers) w.raw.close();

			// Straight from the database: every acknowledged change is there.
			const stored = storedDocuments(data.path);
			const missing = acknowledged.filter((id) => !(stored.get(id.includes('worker2') ? G02 : G01)?.getMap('events').has(id) ?? false));
			expect(missing, `round ${round}: acknowledged but lost`).toEqual([]);

			// Restarted, the clients send their whole state (what a provider's sync step 2 does):
			// the unacknowledged changes arrive too, each exactly once.
			server = await startServerProcess({ dataDir: data.path });
			for (const user of Object.keys(tokens)) tokens[user] = await login(server.url, user);
			for (const w of writers) {
				const raw = await openRaw(server.syncUrl, w.name, tokens[w.user]);
				raw.sendStep2(Y.encodeStateAsUpdate(w.doc));
				await waitFor('the resent state to be acknowledged', () => raw.acks.length === 1);
				expect(raw.acks).toEqual([true]);
				raw.close();
			}
			const after = storedDocuments(data.path);
			for (const w of writers) {
				const ids = register.events(after.get(w.name)!).map((e) => e.id);
				for (const id of w.sent) expect(ids.filter((x) => x === id), id).toHaveLength(1);
			}
			console.log(`round ${round}: killed after ${killAfterAcks}+ acknowledgements: ${acknowledged.length} acknowledged, ${unacknowledged.length} in flight`);
		}
		expectStoredDocumentsValid(data.path);
	}, 120_000);
});
