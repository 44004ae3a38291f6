/**
 * The access matrix (issue 4): every kind of caller × every sync document and every API route,
 * read and write, in and out of scope, against the real server process.
 *
 * The expected answers are the two tables below, written out by hand from the rules as the
 * README states them (coordinators write their community; a grid worker writes their grids;
 * testers and volunteers read theirs; everyone in a community reads its index; nobody reaches
 * another community). Nothing here calls `src/lib/domain/access.ts` or other server code to
 * decide what to expect, so a change in who may do what fails this file until the tables are
 * changed on purpose.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as communityIndex from '../../src/lib/data/community-index-doc';
import * as register from '../../src/lib/data/register-doc';
import * as events from '../../src/lib/domain/events';
import * as hlc from '../../src/lib/domain/hlc';
import { connect, connectSynced, DEMO_PASSWORD, login, waitFor, type SyncClient } from './support/clients';
import { sendUpdateWithToken } from './support/raw-client';
import { runAdmin, startServerProcess, tempDir, type ServerProcess } from './support/server-process';
import { serverKey, signToken } from './support/tokens';

/**
 * Who calls:
 * - `coordinator` (c1), `worker1` (grid worker, g01), `tester1` (tester, g01 and g02),
 *   `volunteer1` (volunteer, g01): the demo accounts;
 * - `c2-coordinator`: the coordinator of another community, c2;
 * - `disabled-worker`: a grid worker of c1/g01 whose account was disabled after they signed in
 *   (they still hold a token the server itself issued);
 * - `no-token`, `garbage-token`;
 * - `expired-token`: worker1's, expired an hour ago, signed with the server's own key;
 * - `forged-token`: worker1's, with valid times, signed with another key.
 */
const callers = [
	'coordinator',
	'worker1',
	'tester1',
	'volunteer1',
	'c2-coordinator',
	'disabled-worker',
	'no-token',
	'garbage-token',
	'expired-token',
	'forged-token'
] as const;
type Caller = (typeof callers)[number];

/**
 * Sync documents. A cell says what the caller gets:
 * - `write`: the whole document arrives (`read-write`); a change is acknowledged, stored and
 *   relayed to others;
 * - `read`: the whole document arrives (`readonly`); a change is answered "not applied" and
 *   reaches no one;
 * - `forbidden` / `invalid-token`: the connection is refused with that reason and nothing of the
 *   document arrives; a change sent right behind the token, without waiting for the verdict, is
 *   not stored either.
 * The last two columns are malformed names.
 */
const DOCUMENT_TABLE = `
	caller            c1/index       c1/register/g01  c1/register/g02  c2/index       c2/register/g01  c1/register/../index  c1
	coordinator       write          write            write            forbidden      forbidden        forbidden             forbidden
	worker1           read           write            forbidden        forbidden      forbidden        forbidden             forbidden
	tester1           read           read             read             forbidden      forbidden        forbidden             forbidden
	volunteer1        read           read             forbidden        forbidden      forbidden        forbidden             forbidden
	c2-coordinator    forbidden      forbidden        forbidden        write          write            forbidden             forbidden
	disabled-worker   invalid-token  invalid-token    invalid-token    invalid-token  invalid-token    invalid-token         invalid-token
	no-token          invalid-token  invalid-token    invalid-token    invalid-token  invalid-token    invalid-token         invalid-token
	garbage-token     invalid-token  invalid-token    invalid-token    invalid-token  invalid-token    invalid-token         invalid-token
	expired-token     invalid-token  invalid-token    invalid-token    invalid-token  invalid-token    invalid-token         invalid-token
	forged-token      invalid-token  invalid-token    invalid-token    invalid-token  invalid-token    invalid-token         invalid-token
`;

/**
 * HTTP routes (see `routes` below for the exact requests). A cell is the status, and for an
 * error the `error.code` of the JSON body; `n/a` where the caller has no password to log in with.
 */
const API_TABLE = `
	caller            health  login                 me                    users                 patch-worker1         unknown
	coordinator       200     200                   200                   200                   200                   404:not_found
	worker1           200     200                   200                   403:forbidden         403:forbidden         404:not_found
	tester1           200     200                   200                   403:forbidden         403:forbidden         404:not_found
	volunteer1        200     200                   200                   403:forbidden         403:forbidden         404:not_found
	c2-coordinator    200     200                   200                   200                   404:not_found         404:not_found
	disabled-worker   200     403:account_disabled  401:account_disabled  401:account_disabled  401:account_disabled  404:not_found
	no-token          200     n/a                   401:invalid_token     401:invalid_token     401:invalid_token     404:not_found
	garbage-token     200     n/a                   401:invalid_token     401:invalid_token     401:invalid_token     404:not_found
	expired-token     200     n/a                   401:invalid_token     401:invalid_token     401:invalid_token     404:not_found
	forged-token      200     n/a                   401:invalid_token     401:invalid_token     401:invalid_token     404:not_found
`;

type Route = { method: string; path: string; body?: (caller: Caller) => unknown };
const routes: Record<string, Route> = {
	health: { method: 'GET', path: '/healthz' },
	login: { method: 'POST', path: '/api/login', body: (caller) => ({ username: caller, password: DEMO_PASSWORD }) },
	me: { method: 'GET', path: '/api/me' },
	users: { method: 'GET', path: '/api/users' },
	// The grids worker1 already has: an allowed call changes nothing for the rows after it.
	'patch-worker1': { method: 'PATCH', path: '/api/users/worker1', body: () => ({ gridIds: ['g01'] }) },
	// No such route: no data is reachable over HTTP, signed in or not.
	unknown: { method: 'GET', path: '/api/households' }
};

/** A whitespace-aligned table as cells: one entry per (row caller, column) pair. */
function cells(table: string): { caller: Caller; column: string; expected: string }[] {
	const [header, ...rows] = table
		.trim()
		.split('\n')
		.map((line) => line.trim().split(/\s+/));
	const columns = header.slice(1);
	return rows.flatMap(([caller, ...values]) => {
		if (!callers.includes(caller as Caller)) throw new Error(`unknown caller ${caller}`);
		if (values.length !== columns.length) throw new Error(`row ${caller} has ${values.length} cells`);
		return values.map((expected, i) => ({ caller: caller as Caller, column: columns[i], expected }));
	});
}

const documentCells = cells(DOCUMENT_TABLE);
const apiCells = cells(API_TABLE);
for (const { expected } of documentCells) {
	if (!['write', 'read', 'forbidden', 'invalid-token'].includes(expected)) throw new Error(`bad document cell ${expected}`);
}
for (const { column } of apiCells) if (!routes[column]) throw new Error(`no route ${column}`);

/** The one household of community c2's grid g01, written in `beforeAll`. */
const C2_HOUSEHOLD = { v: 1 as const, id: 'h-c2-door', doorId: 'c2-door', occupancy: 'empty' as const, members: [], passCards: 0, flags: [], notes: '' };

/** What each openable document holds, to tell "synced with the real content" from an empty doc. */
const content: Record<string, (doc: Y.Doc) => boolean> = {
	'c1/index': (doc) => {
		const index = communityIndex.read(doc);
		const grids = index.grids.map((grid) => grid.id);
		return index.community?.id === 'c1' && grids.includes('g01') && grids.includes('g02');
	},
	'c1/register/g01': (doc) => register.households(doc).length > 100,
	'c1/register/g02': (doc) => register.households(doc).length > 100,
	'c2/index': (doc) => communityIndex.read(doc).community?.id === 'c2',
	'c2/register/g01': (doc) => register.households(doc).some((h) => h.id === C2_HOUSEHOLD.id)
};
const isIndex = (name: string) => name.endsWith('/index');

/** The id a caller's change to a document carries (a compound id in an index, an event id in a register). */
const marker = (caller: Caller, name: string) => `m-${caller}-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
/** The username a change names as its author: the caller's own, or the one its token claims. */
const author = (caller: Caller) => (['no-token', 'garbage-token', 'expired-token', 'forged-token'].includes(caller) ? 'worker1' : caller);

let clock = hlc.create('matrix-device', Date.now());

/** A valid change by `caller`, written through the app's own data modules. */
function writeChange(doc: Y.Doc, name: string, caller: Caller): void {
	const id = marker(caller, name);
	if (isIndex(name)) {
		communityIndex.change(doc, (writer) => writer.putCompound({ v: 1, id, name: `${caller} 的小区` }));
		return;
	}
	const door = register.households(doc)[0]?.doorId ?? 'matrix-door';
	const made = events.createEvent({ kind: 'visit', entity: door, user: author(caller), value: { outcome: 'done', note: '' } }, clock, Date.now(), id);
	clock = made.clock;
	register.change(doc, (writer) => writer.append(made.event));
}

/** Whether a document holds `caller`'s change. */
function holdsChange(doc: Y.Doc, name: string, caller: Caller): boolean {
	const id = marker(caller, name);
	return isIndex(name) ? communityIndex.read(doc).compounds.some((c) => c.id === id) : register.hasEvent(doc, id);
}

const data = tempDir('gridwalk-access-');
let server: ServerProcess;
const tokens: Partial<Record<Caller, string>> = {};

const admin = (...args: string[]) => runAdmin(data.path, ...args);

// Expired and forged tokens (support/tokens.ts): `beforeAll` checks that a token signed this way
// with valid times is accepted, so the refusals are for expiry and for the key.
const signWorker1 = (key: Uint8Array, issuedAt: number, expires: number) => signToken(key, 'worker1', issuedAt, expires);

/** Names of every document the server has stored. */
function storedDocumentNames(): string[] {
	const db = new Database(join(data.path, 'gridwalk.sqlite'), { readonly: true });
	try {
		const rows = db.prepare('SELECT name FROM document_snapshots UNION SELECT name FROM document_updates').all() as { name: string }[];
		return rows.map((row) => row.name).sort();
	} finally {
		db.close();
	}
}

async function call(caller: Caller, route: Route) {
	const token = tokens[caller];
	const body = route.body?.(caller);
	const response = await fetch(`${server.url}${route.path}`, {
		method: route.method,
		headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	return { status: response.status, body: (await response.json()) as any };
}

beforeAll(async () => {
	server = await startServerProcess({ dataDir: data.path });
	expect(server.demo).toBe('created');
	await Promise.all([
		admin('create-coordinator', '--username', 'c2-coordinator', '--community', 'c2', '--name', '外社区书记'),
		admin('create-user', '--username', 'disabled-worker', '--role', 'grid_worker', '--community', 'c1', '--grids', 'g01', '--name', '离职网格员')
	]);
	for (const caller of ['coordinator', 'worker1', 'tester1', 'volunteer1', 'c2-coordinator', 'disabled-worker'] as const) {
		tokens[caller] = await login(server.url, caller);
	}
	await admin('disable-user', '--username', 'disabled-worker');

	const key = serverKey(data.path);
	const now = Math.floor(Date.now() / 1000);
	tokens['garbage-token'] = 'garbage';
	tokens['expired-token'] = await signWorker1(key, now - 7200, now - 3600);
	tokens['forged-token'] = await signWorker1(crypto.getRandomValues(new Uint8Array(32)), now, now + 3600);
	const sameClaims = await signWorker1(key, now, now + 3600);
	expect((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${sameClaims}` } })).status).toBe(200);

	// Community c2, written by its coordinator: an index with one grid and that grid's register.
	const c2Index = await connectSynced(server.syncUrl, 'c2/index', tokens['c2-coordinator']!);
	const c2Register = await connectSynced(server.syncUrl, 'c2/register/g01', tokens['c2-coordinator']!);
	communityIndex.change(c2Index.doc, (writer) => {
		writer.setCommunity({ v: 1, id: 'c2', name: '外社区' });
		writer.putGrid({ v: 1, id: 'g01', name: '外社区第一网格', buildingIds: [], workers: [] });
	});
	register.change(c2Register.doc, (writer) => writer.putHousehold(C2_HOUSEHOLD));
	await waitFor('c2 to be stored', () => !c2Index.provider.hasUnsyncedChanges && !c2Register.provider.hasUnsyncedChanges);
	c2Index.destroy();
	c2Register.destroy();
	// The grid directory (which /api/me lists from) follows the index when it is stored, debounced.
	const c2Documents = async () => (await call('c2-coordinator', routes.me)).body.documents.map((d: { name: string }) => d.name);
	await waitFor('c2/register/g01 in the grid directory', async () => (await c2Documents()).includes('c2/register/g01'), 15_000, 200);
});

afterAll(async () => {
	await server?.stop();
	data.remove();
});

describe('sync documents', () => {
	it.each(documentCells.map((cell) => [cell.caller, cell.column, cell.expected] as const))('%s on %s: %s', async (caller, name, expected) => {
		const client: SyncClient = connect(server.syncUrl, name, tokens[caller] ?? '');
		try {
			await waitFor(`${caller} on ${name}: synced or refused`, () => client.synced() || client.refusal() !== undefined);
			if (expected === 'forbidden' || expected === 'invalid-token') {
				expect(client.refusal()).toBe(expected);
				expect(client.syncMessages()).toBe(0);
				expect(Y.encodeStateVector(client.doc)).toEqual(Y.encodeStateVector(new Y.Doc()));

				// The provider sends nothing before it is let in; a client that does not wait:
				const scratch = new Y.Doc();
				writeChange(scratch, name, caller);
				const answer = await sendUpdateWithToken(server.syncUrl, name, tokens[caller] ?? '', Y.encodeStateAsUpdate(scratch));
				expect(answer).toEqual({ refusal: expected, syncMessages: 0 });
				return;
			}

			expect(client.refusal()).toBeUndefined();
			expect(client.scope()).toBe(expected === 'write' ? 'read-write' : 'readonly');
			expect(content[name](client.doc)).toBe(true);
			// The handshake's own acknowledgement first, so the next answer is the change's.
			await waitFor('the handshake to be acknowledged', () => !client.provider.hasUnsyncedChanges);

			writeChange(client.doc, name, caller);
			if (expected === 'write') {
				await waitFor('the change to be acknowledged', () => !client.provider.hasUnsyncedChanges);
				expect(client.syncStatuses).not.toContain(false);
			} else {
				await waitFor('the change to be answered', () => client.syncStatuses.includes(false));
				expect(client.provider.hasUnsyncedChanges).toBe(true);
			}
		} finally {
			client.destroy();
		}
	});

	it('stores a change sent right behind an accepted token (so the refusals above are the server’s doing)', async () => {
		const scratch = new Y.Doc();
		communityIndex.change(scratch, (writer) => writer.putCompound({ v: 1, id: 'eager-control', name: '对照小区' }));
		const answer = await sendUpdateWithToken(server.syncUrl, 'c1/index', tokens.coordinator!, Y.encodeStateAsUpdate(scratch));
		expect(answer).toMatchObject({ scope: 'read-write', applied: true });
		const check = await connectSynced(server.syncUrl, 'c1/index', tokens.coordinator!);
		expect(communityIndex.read(check.doc).compounds.map((c) => c.id)).toContain('eager-control');
		check.destroy();
	});

	/** For each document someone may write, the caller who sees everything in it. */
	const observers: Record<string, Caller> = {
		'c1/index': 'coordinator',
		'c1/register/g01': 'coordinator',
		'c1/register/g02': 'coordinator',
		'c2/index': 'c2-coordinator',
		'c2/register/g01': 'c2-coordinator'
	};

	async function expectExactlyTheWritesAllowed() {
		for (const [name, observer] of Object.entries(observers)) {
			const client = await connectSynced(server.syncUrl, name, tokens[observer]!);
			try {
				const holding = documentCells.filter((cell) => cell.column === name && holdsChange(client.doc, name, cell.caller));
				const allowed = documentCells.filter((cell) => cell.column === name && cell.expected === 'write');
				expect(holding.map((cell) => cell.caller), name).toEqual(allowed.map((cell) => cell.caller));
			} finally {
				client.destroy();
			}
		}
		// Nothing under any other name: not the malformed ones, not another community's.
		expect(storedDocumentNames()).toEqual(Object.keys(observers).sort());
	}

	it('holds exactly the changes of the callers who may write, and nothing else', async () => {
		await expectExactlyTheWritesAllowed();
	});

	it('still does after a restart', async () => {
		expect(await server.stop('SIGTERM')).toBe(0);
		server = await startServerProcess({ dataDir: data.path });
		expect(server.demo).toBe('existing');
		await expectExactlyTheWritesAllowed();
	});
});

describe('HTTP routes', () => {
	it.each(apiCells.filter((cell) => cell.expected !== 'n/a').map((cell) => [cell.caller, cell.column, cell.expected] as const))(
		'%s on %s: %s',
		async (caller, column, expected) => {
			const [status, code] = expected.split(':');
			const answer = await call(caller, routes[column]);
			expect(answer.status).toBe(Number(status));
			if (code) expect(answer.body).toEqual({ error: { code, message: expect.any(String) } });
		}
	);

	it.each(callers.filter((caller) => apiCells.some((cell) => cell.caller === caller && cell.column === 'me' && cell.expected === '200')))(
		'/api/me lists for %s the documents the table lets them open, with that access',
		async (caller) => {
			const { body } = await call(caller, routes.me);
			const listed = (body.documents as { name: string; access: string }[]).map((d) => `${d.name} ${d.access}`).sort();
			const fromTable = documentCells
				.filter((cell) => cell.caller === caller && (cell.expected === 'read' || cell.expected === 'write'))
				.map((cell) => `${cell.column} ${cell.expected}`)
				.sort();
			expect(listed).toEqual(fromTable);
		}
	);
});
