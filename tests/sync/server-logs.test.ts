/**
 * "ID numbers never appear unmasked in logs", against the real server process: it is made to
 * log lines that hold ID numbers (an account whose username is one, its failed logins and a
 * change of its the server refuses, an event id made of one) and its whole output must show
 * each of them masked, never in full.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as register from '../../src/lib/data/register-doc';
import * as events from '../../src/lib/domain/events';
import * as hlc from '../../src/lib/domain/hlc';
import { connectSynced, login, waitFor } from './support/clients';
import { openRaw } from './support/raw-client';
import { startServerProcess, tempDir, type ServerProcess } from './support/server-process';

const REPO = resolve(import.meta.dirname, '../..');
/** Written out here, not taken from the code under test: 17 digits and a digit or X, standing alone. */
const FULL_ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/;
const USER_ID = '110105194912310021';
const EVENT_ID = '44052418800101001x';
const PASSWORD = 'a long enough password';

describe('server logs (real server process)', () => {
	const data = tempDir('gridwalk-logs-');
	let server: ServerProcess;
	let adminOutput = '';

	beforeAll(async () => {
		server = await startServerProcess({ dataDir: data.path });
		const admin = await promisify(execFile)(
			process.execPath,
			['--import', 'tsx', 'server/admin.ts', 'create-user', '--username', USER_ID, '--role', 'grid_worker', '--community', 'c1', '--grids', 'g01', '--name', '身份证号用户'],
			{ cwd: REPO, env: { ...process.env, DATA_DIR: data.path, GRIDWALK_PASSWORD: PASSWORD } }
		);
		adminOutput = admin.stdout + admin.stderr;

		// Failed logins by an ID-number-like username, one of them unknown to the server.
		for (const username of [USER_ID, `${USER_ID.slice(0, 17)}9`]) {
			const response = await fetch(`${server.url}/api/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ username, password: 'wrong' })
			});
			expect(response.status).toBe(401);
		}

		// A change in another user's name, under an event id that is an ID number: refused.
		const token = await login(server.url, USER_ID, PASSWORD);
		const replica = await connectSynced(server.syncUrl, 'c1/register/g01', token);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(replica.doc));
		replica.destroy();
		const forged = events.createEvent(
			{ kind: 'visit', entity: 'b1-1-0101', user: 'worker1', value: { outcome: 'done', note: '' } },
			hlc.create('logs-test', Date.now()),
			Date.now(),
			`e-${EVENT_ID}`
		).event;
		let update: Uint8Array | undefined;
		doc.on('update', (u: Uint8Array) => (update = u));
		register.change(doc, (w) => w.append(forged));
		const raw = await openRaw(server.syncUrl, 'c1/register/g01', token);
		raw.sendUpdate(update!);
		await waitFor('the change to be refused', () => raw.closeReason() !== undefined);
		raw.close();
		await waitFor('the refusal to be logged', () => server.output().includes('[sync] refused'));
	});

	afterAll(async () => {
		await server?.stop();
		data.remove();
	});

	it('logs failed logins and refused changes with the ID numbers in them masked', () => {
		const output = server.output();
		expect(output).toContain('[auth] login refused for 110***********0021 from 127.0.0.1: invalid_credentials');
		expect(output).toContain('[auth] login refused for 110***********0029 from 127.0.0.1: invalid_credentials');
		expect(output).toContain("[sync] refused a change to c1/register/g01 from 110***********0021: events/e-440***********001x: written in another user's name");
	});

	it('never writes an ID number in full, to stdout or stderr', () => {
		expect(server.output()).not.toMatch(FULL_ID_NUMBER);
	});

	it('the admin command masks them too', () => {
		expect(adminOutput).toContain('110***********0021');
		expect(adminOutput).not.toMatch(FULL_ID_NUMBER);
	});
});
