/**
 * The coordinator's user API on the real server process: who may list and change accounts,
 * what a change is checked against, and that a new scope is what `/api/me` and the sync
 * server's authorization use from the user's next request on.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, connectSynced, login, waitFor, type SyncClient } from './support/clients';
import { startServerProcess, tempDir, type ServerProcess } from './support/server-process';

const data = tempDir('gridwalk-users-');
let server: ServerProcess;
const clients: SyncClient[] = [];
const tokens: Record<string, string> = {};

async function call(method: string, path: string, token?: string, body?: unknown) {
	const response = await fetch(`${server.url}${path}`, {
		method,
		headers: {
			'content-type': 'application/json',
			...(token ? { authorization: `Bearer ${token}` } : {})
		},
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
	});
	return { status: response.status, body: (await response.json()) as any };
}

const patch = (username: string, body: unknown, token = tokens.coordinator) => call('PATCH', `/api/users/${username}`, token, body);
const documents = async (token: string) => (await call('GET', '/api/me', token)).body.documents.map((d: { name: string }) => d.name);

/** Creates an account with the admin CLI, as an operator would. */
async function adminCreate(args: string[]) {
	await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/admin.ts', ...args], {
		cwd: resolve(import.meta.dirname, '../..'),
		env: { ...process.env, DATA_DIR: data.path, GRIDWALK_PASSWORD: 'another-password' }
	});
}

beforeAll(async () => {
	server = await startServerProcess({ dataDir: data.path });
	for (const username of ['coordinator', 'worker1', 'worker2', 'tester1', 'volunteer1']) tokens[username] = await login(server.url, username);
});

afterAll(async () => {
	for (const client of clients) client.destroy();
	await server?.stop();
	data.remove();
});

describe('who may use the user API', () => {
	// Written out by hand: only a coordinator; a token that names no one is not signed in.
	// The PATCH gives worker1 the grid it already has, so the table changes nothing.
	const table: [who: string, method: string, path: string, status: number][] = [
		['coordinator', 'GET', '/api/users', 200],
		['coordinator', 'PATCH', '/api/users/worker1', 200],
		['worker1', 'GET', '/api/users', 403],
		['worker1', 'PATCH', '/api/users/worker1', 403],
		['worker2', 'GET', '/api/users', 403],
		['worker2', 'PATCH', '/api/users/worker1', 403],
		['tester1', 'GET', '/api/users', 403],
		['tester1', 'PATCH', '/api/users/worker1', 403],
		['volunteer1', 'GET', '/api/users', 403],
		['volunteer1', 'PATCH', '/api/users/worker1', 403],
		['no token', 'GET', '/api/users', 401],
		['no token', 'PATCH', '/api/users/worker1', 401],
		['a forged token', 'GET', '/api/users', 401],
		['a forged token', 'PATCH', '/api/users/worker1', 401]
	];

	it.each(table)('%s: %s %s → %i', async (who, method, path, status) => {
		const token = who === 'no token' ? undefined : who === 'a forged token' ? 'not-a-token' : tokens[who];
		const answer = await call(method, path, token, method === 'PATCH' ? { gridIds: ['g01'] } : undefined);
		expect(answer.status).toBe(status);
		if (status === 403) expect(answer.body).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
		if (status === 401) expect(answer.body.error.code).toBe('invalid_token');
	});

	it('leaves the account as it was after every refusal', async () => {
		expect((await call('GET', '/api/me', tokens.worker1)).body.user.scope).toEqual({ communityId: 'c1', gridIds: ['g01'] });
	});

	it('answers other methods with 405', async () => {
		expect((await call('POST', '/api/users', tokens.coordinator, {})).status).toBe(405);
		expect((await call('GET', '/api/users/worker1', tokens.coordinator)).status).toBe(405);
	});
});

describe('GET /api/users', () => {
	it("lists the coordinator's community, coordinators and disabled accounts included", async () => {
		const { status, body } = await call('GET', '/api/users', tokens.coordinator);
		expect(status).toBe(200);
		expect(body).toEqual([
			{ username: 'coordinator', displayName: '王书记', role: 'coordinator', gridIds: [], disabled: false },
			{ username: 'tester1', displayName: '赵检测员', role: 'tester', gridIds: ['g01', 'g02'], disabled: false },
			{ username: 'volunteer1', displayName: '孙志愿者', role: 'volunteer', gridIds: ['g01'], disabled: false },
			{ username: 'worker1', displayName: '李网格员', role: 'grid_worker', gridIds: ['g01'], disabled: false },
			{ username: 'worker2', displayName: '张网格员', role: 'grid_worker', gridIds: ['g02'], disabled: false }
		]);
	});
});

describe('PATCH /api/users/:username', () => {
	it('refuses what does not fit, and changes nothing', async () => {
		const cases: [string, unknown, number, string][] = [
			['nobody', { gridIds: ['g01'] }, 404, 'not_found'],
			['NOT%20A%20NAME', { gridIds: ['g01'] }, 404, 'not_found'],
			['coordinator', { gridIds: ['g01'] }, 400, 'coordinator_scope'],
			['volunteer1', { gridIds: ['g01', 'g99'] }, 400, 'unknown_grid'],
			['volunteer1', { gridIds: 'g01' }, 400, 'bad_request'],
			['volunteer1', { gridIds: ['../g01'] }, 400, 'bad_request'],
			['volunteer1', { gridIds: ['g01'], role: 'coordinator' }, 400, 'bad_request'],
			['volunteer1', {}, 400, 'bad_request'],
			['volunteer1', '{not json', 400, 'bad_request']
		];
		for (const [username, body, status, code] of cases) {
			const answer = await patch(username, body);
			expect(answer.status, `${username} ${JSON.stringify(body)}`).toBe(status);
			expect(answer.body.error.code).toBe(code);
		}
		expect((await call('GET', '/api/me', tokens.volunteer1)).body.user).toMatchObject({
			role: 'volunteer',
			scope: { communityId: 'c1', gridIds: ['g01'] }
		});
	});

	it('keeps each grid once, in the community order', async () => {
		const { status, body } = await patch('tester1', { gridIds: ['g02', 'g01', 'g02'] });
		expect(status).toBe(200);
		expect(body).toEqual({ username: 'tester1', displayName: '赵检测员', role: 'tester', gridIds: ['g01', 'g02'], disabled: false });
	});

	it('may leave someone with no grid', async () => {
		expect((await patch('volunteer1', { gridIds: [] })).body.gridIds).toEqual([]);
		expect(await documents(tokens.volunteer1)).toEqual(['c1/index']);
		expect((await patch('volunteer1', { gridIds: ['g01'] })).body.gridIds).toEqual(['g01']);
	});

	it("reaches no one in another community, and another community's coordinator reaches no one here", async () => {
		await adminCreate(['create-user', '--username', 'worker9', '--role', 'grid_worker', '--community', 'c2', '--grids', 'g01', '--name', '外社区网格员']);
		await adminCreate(['create-coordinator', '--username', 'coordinator9', '--community', 'c2', '--name', '外社区书记']);
		expect((await patch('worker9', { gridIds: [] })).status).toBe(404);
		expect((await call('GET', '/api/users', tokens.coordinator)).body.map((u: { username: string }) => u.username)).not.toContain('worker9');

		const other = await login(server.url, 'coordinator9', 'another-password');
		expect((await call('GET', '/api/users', other)).body.map((u: { username: string }) => u.username)).toEqual(['coordinator9', 'worker9']);
		expect((await patch('worker1', { gridIds: [] }, other)).status).toBe(404);
		// c2 has no grids yet, so even its own worker can only be given none.
		expect((await patch('worker9', { gridIds: ['g01'] }, other)).body.error.code).toBe('unknown_grid');
	});

	it('takes effect at the next /api/me and sync connection, with a token issued before', async () => {
		const token = tokens.worker2;
		clients.push(await connectSynced(server.syncUrl, 'c1/register/g02', token));
		expect(await documents(token)).toEqual(['c1/index', 'c1/register/g02']);

		const { status, body } = await patch('worker2', { gridIds: ['g01'] });
		expect(status).toBe(200);
		expect(body.gridIds).toEqual(['g01']);

		expect(await documents(token)).toEqual(['c1/index', 'c1/register/g01']);
		const g01 = await connectSynced(server.syncUrl, 'c1/register/g01', token);
		clients.push(g01);
		expect(g01.scope()).toBe('read-write');

		const g02 = connect(server.syncUrl, 'c1/register/g02', token);
		clients.push(g02);
		await waitFor('the refusal', () => g02.refusal() !== undefined);
		expect(g02.refusal()).toBe('forbidden');
		expect(g02.syncMessages()).toBe(0);
	});
});
