/**
 * Access withdrawn while a connection is open: a coordinator moving a worker off a grid, or an
 * operator disabling an account with the admin CLI (another process), closes that account's
 * open sync connections; a write sent on such a connection before it is closed is not stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as register from '../../src/lib/data/register-doc';
import * as events from '../../src/lib/domain/events';
import * as hlc from '../../src/lib/domain/hlc';
import { connectSynced, login, waitFor } from './support/clients';
import { openRaw } from './support/raw-client';
import { runAdmin, startServerProcess, tempDir, type ServerProcess } from './support/server-process';

const G01 = 'c1/register/g01';
const data = tempDir('gridwalk-revoke-');
let server: ServerProcess;
let coordinatorToken: string;

let clock = hlc.create('revocation-test', Date.now());
function visitUpdate(doc: Y.Doc, id: string, user: string): Uint8Array {
	const made = events.createEvent({ kind: 'visit', entity: 'b1-1-0101', user, value: { outcome: 'done', note: '' } }, clock, Date.now(), id);
	clock = made.clock;
	let update: Uint8Array | undefined;
	doc.once('update', (u: Uint8Array) => (update = u));
	register.change(doc, (w) => w.append(made.event));
	return update!;
}

async function setGrids(username: string, gridIds: string[]) {
	const response = await fetch(`${server.url}/api/users/${username}`, {
		method: 'PATCH',
		headers: { authorization: `Bearer ${coordinatorToken}`, 'content-type': 'application/json' },
		body: JSON.stringify({ gridIds })
	});
	expect(response.status).toBe(200);
}

/** Whether a coordinator's fresh connection sees the event `id` in g01. */
async function storedInG01(id: string): Promise<boolean> {
	const client = await connectSynced(server.syncUrl, G01, coordinatorToken);
	try {
		return register.hasEvent(client.doc, id);
	} finally {
		client.destroy();
	}
}

describe('access withdrawn from open connections (real server process)', () => {
	beforeAll(async () => {
		server = await startServerProcess({ dataDir: data.path });
		coordinatorToken = await login(server.url, 'coordinator');
		await runAdmin(data.path, 'create-user', '--username', 'leaver', '--role', 'grid_worker', '--community', 'c1', '--grids', 'g01', '--name', '离职网格员');
	});

	afterAll(async () => {
		await server?.stop();
		data.remove();
	});

	it("closes a worker's open connection to a grid the coordinator takes away, at once", async () => {
		const token = await login(server.url, 'worker1');
		const doc = (await connectSynced(server.syncUrl, G01, token)).doc;
		const raw = await openRaw(server.syncUrl, G01, token);
		raw.sendUpdate(visitUpdate(doc, 'before-move', 'worker1'));
		await waitFor('the first write to be acknowledged', () => raw.acks.length === 1);

		await setGrids('worker1', ['g02']);
		await waitFor('the connection to be closed', () => raw.closeReason() !== undefined, 2_000);
		expect(raw.closeReason()).toBe('access-changed');
		raw.sendUpdate(visitUpdate(doc, 'after-move', 'worker1'));
		expect(await storedInG01('before-move')).toBe(true);
		expect(await storedInG01('after-move')).toBe(false);
		await setGrids('worker1', ['g01']);
	});

	it('refuses a write from an account disabled by the admin CLI, and closes its listening connections', async () => {
		const token = await login(server.url, 'leaver');
		const listener = await openRaw(server.syncUrl, G01, token);
		const writer = await openRaw(server.syncUrl, G01, token);
		const doc = (await connectSynced(server.syncUrl, G01, token)).doc;

		await runAdmin(data.path, 'disable-user', '--username', 'leaver');
		// Sent before any sweep could have run: judged against the account as it is now.
		writer.sendUpdate(visitUpdate(doc, 'by-disabled', 'leaver'));
		await waitFor('the write to be refused', () => writer.closeReason() !== undefined, 2_000);
		expect(writer.closeReason()).toBe('access-changed');
		expect(writer.acks).toEqual([]);
		// The connection that only listens is closed by the periodic sweep (every 5 s).
		await waitFor('the listening connection to be closed', () => listener.closeReason() !== undefined, 8_000);
		expect(listener.closeReason()).toBe('access-changed');
		expect(await storedInG01('by-disabled')).toBe(false);
	});
});
