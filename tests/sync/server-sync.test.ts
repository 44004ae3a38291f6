/**
 * The real server process with real Yjs clients: concurrent edits converge, survive a crash
 * and restart, a worker cannot open another grid, and read-only connections cannot write.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as communityIndex from '../../src/lib/data/community-index-doc';
import * as register from '../../src/lib/data/register-doc';
import * as events from '../../src/lib/domain/events';
import * as hlc from '../../src/lib/domain/hlc';
import type { LogEvent } from '../../src/lib/domain/events';
import { connect, connectSynced, login, waitFor, type SyncClient } from './support/clients';
import { startServerProcess, tempDir, type ServerProcess } from './support/server-process';

const G01 = 'c1/register/g01';
const G02 = 'c1/register/g02';

let clock = hlc.create('test-device', Date.now());
function visit(id: string, entity: string, user: string, outcome: events.VisitOutcome): LogEvent {
	const made = events.createEvent({ kind: 'visit', entity, user, value: { outcome, note: '' } }, clock, Date.now(), id);
	clock = made.clock;
	return made.event;
}

/** Rows of a document's update log not yet folded into its snapshot. */
function loggedUpdates(name: string): number {
	const db = new Database(join(data.path, 'gridwalk.sqlite'), { readonly: true });
	try {
		return (db.prepare('SELECT count(*) AS n FROM document_updates WHERE name = ?').get(name) as { n: number }).n;
	} finally {
		db.close();
	}
}

const eventIds = (client: SyncClient) => register.events(client.doc).map((e) => e.id).sort();

const data = tempDir('gridwalk-sync-');

describe('sync server (real process)', () => {
	let server: ServerProcess;
	const clients: SyncClient[] = [];
	const open = async (name: string, token: string) => {
		const client = await connectSynced(server.syncUrl, name, token);
		clients.push(client);
		return client;
	};
	const tokens: Record<string, string> = {};

	beforeAll(async () => {
		server = await startServerProcess({ dataDir: data.path });
		expect(server.demo).toBe('created');
		for (const user of ['coordinator', 'worker1', 'tester1', 'volunteer1']) tokens[user] = await login(server.url, user);
	});

	afterAll(async () => {
		for (const client of clients) client.destroy();
		await server?.stop();
		data.remove();
	});

	it('two clients editing one register concurrently converge', async () => {
		const a = await open(G01, tokens.worker1);
		const b = await open(G01, tokens.coordinator);
		const households = register.households(a.doc);
		expect(households.length).toBeGreaterThan(100);
		expect(register.households(b.doc)).toHaveLength(households.length);
		const [first, second] = households;

		// Interleaved, without waiting for each other: both logs and a household edit by each.
		for (let i = 0; i < 20; i++) {
			register.change(a.doc, (w) => w.append(visit(`a-${i}`, first.doorId, 'worker1', 'done')));
			register.change(b.doc, (w) => w.append(visit(`b-${i}`, first.doorId, 'coordinator', 'nobody_home')));
		}
		// A worker changes a field by an event; a coordinator may rewrite the base record.
		const notesEdit = events.createEvent(
			{ kind: 'household', entity: second.id, field: 'notes', user: 'worker1', value: 'edited by worker1' },
			clock,
			Date.now(),
			'a-notes'
		);
		clock = notesEdit.clock;
		register.change(a.doc, (w) => w.append(notesEdit.event));
		register.change(b.doc, (w) => w.putHousehold({ ...first, notes: 'edited by coordinator' }));

		await waitFor('both clients to hold all 41 events', () => eventIds(a).length === 41 && eventIds(b).length === 41);
		await waitFor('equal state vectors', () =>
			Buffer.from(Y.encodeStateVector(a.doc)).equals(Buffer.from(Y.encodeStateVector(b.doc)))
		);
		expect(eventIds(a)).toEqual(eventIds(b));
		const notes = (client: SyncClient) => new Map(register.households(client.doc).map((h) => [h.id, h.notes]));
		expect(notes(a)).toEqual(notes(b));
		expect(register.events(b.doc).find((e) => e.id === 'a-notes')?.value).toBe('edited by worker1');
		expect(notes(a).get(first.id)).toBe('edited by coordinator');
		await waitFor('every update acknowledged', () => !a.provider.hasUnsyncedChanges && !b.provider.hasUnsyncedChanges);
	});

	it('refuses a worker the register of another grid, and sends none of its data', async () => {
		const client = connect(server.syncUrl, G02, tokens.worker1);
		clients.push(client);
		await waitFor('the refusal', () => client.refusal() !== undefined);
		expect(client.refusal()).toBe('forbidden');
		expect(client.synced()).toBe(false);
		expect(client.syncMessages()).toBe(0);
		expect(register.households(client.doc)).toHaveLength(0);
	});

	it('sends a cold document to its first client once, not twice (flushDelay: false)', async () => {
		const client = await open(G02, tokens.coordinator);
		const size = Y.encodeStateAsUpdate(client.doc).byteLength;
		expect(size).toBeGreaterThan(50_000);
		expect(client.syncBytes()).toBeLessThan(size * 1.5);
	});

	it('refuses a token that is not ours', async () => {
		const client = connect(server.syncUrl, G01, 'not-a-token');
		clients.push(client);
		await waitFor('the refusal', () => client.refusal() !== undefined);
		expect(client.refusal()).toBe('invalid-token');
		expect(client.syncMessages()).toBe(0);
	});

	it.each(['tester1', 'volunteer1'])('gives %s a read-only register whose changes never reach the server', async (user) => {
		const reader = await open(G01, tokens[user]);
		expect(reader.scope()).toBe('readonly');
		expect(register.households(reader.doc).length).toBeGreaterThan(100);
		const door = register.households(reader.doc)[0].doorId;

		register.change(reader.doc, (w) => w.append(visit(`ro-${user}`, door, user, 'refused')));
		// The handshake is acknowledged with `true` (it carried nothing new); the write is not.
		await waitFor('the server to refuse the write', () => reader.syncStatuses.includes(false));
		expect(reader.provider.hasUnsyncedChanges).toBe(true);

		const check = await open(G01, tokens.coordinator);
		expect(register.hasEvent(check.doc, `ro-${user}`)).toBe(false);
		// The reader still receives other people's changes.
		register.change(check.doc, (w) => w.append(visit(`seen-by-${user}`, door, 'coordinator', 'done')));
		await waitFor('the reader to receive a change', () => register.hasEvent(reader.doc, `seen-by-${user}`));
	});

	it('lists a grid the coordinator adds to the index in /api/me', async () => {
		const index = await open('c1/index', tokens.coordinator);
		const [grid] = communityIndex.read(index.doc).grids;
		communityIndex.change(index.doc, (w) => w.putGrid({ ...grid, id: 'g99', name: '新网格', buildingIds: [], workers: [] }));
		const names = async () => {
			const response = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${tokens.coordinator}` } });
			return ((await response.json()) as { documents: { name: string }[] }).documents.map((d) => d.name);
		};
		// The grid directory follows the index when Hocuspocus stores it (debounced ~2 s).
		await waitFor('g99 in /api/me', async () => (await names()).includes('c1/register/g99'), 15_000, 200);
	});

	it('keeps every acknowledged change across a crash and restart', async () => {
		const before = await open(G01, tokens.coordinator);
		await waitFor('the coordinator to hold the earlier events', () => eventIds(before).length >= 40);
		const expected = eventIds(before);
		const vector = Y.encodeStateVector(before.doc);

		// SIGKILL with clients connected: no unload, no compaction; the update log written on
		// every change is all there is.
		await server.stop('SIGKILL');
		for (const client of clients.splice(0)) client.destroy();
		expect(loggedUpdates(G01)).toBeGreaterThan(0);
		server = await startServerProcess({ dataDir: data.path });
		expect(server.demo).toBe('existing');

		const after = await open(G01, await login(server.url, 'coordinator'));
		expect(eventIds(after)).toEqual(expected);
		expect(eventIds(after)).not.toContain('ro-tester1');
		expect(Buffer.from(Y.encodeStateVector(after.doc))).toEqual(Buffer.from(vector));

		// And once more through a graceful stop, which compacts the log.
		register.change(after.doc, (w) => w.append(visit('after-restart', register.households(after.doc)[0].doorId, 'coordinator', 'done')));
		await waitFor('the change to be acknowledged', () => !after.provider.hasUnsyncedChanges);
		for (const client of clients.splice(0)) client.destroy();
		expect(await server.stop('SIGTERM')).toBe(0);
		expect(loggedUpdates(G01)).toBe(0);
		server = await startServerProcess({ dataDir: data.path });
		const again = await open(G01, await login(server.url, 'coordinator'));
		expect(eventIds(again)).toEqual([...expected, 'after-restart'].sort());
	});
});
