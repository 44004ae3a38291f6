/**
 * The HTTP side of the real server process: health, login and its throttle, `/api/me` per
 * role, tokens that must be refused, the admin CLI's disable, and the static app.
 */
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from './support/clients';
import { startServerProcess, tempDir, type ServerProcess } from './support/server-process';

const data = tempDir('gridwalk-http-');
const app = tempDir('gridwalk-static-');
let server: ServerProcess;

function writeApp(root: string) {
	mkdirSync(join(root, '_app/immutable/entry'), { recursive: true });
	writeFileSync(join(root, 'index.html'), '<!doctype html><title>gridwalk test shell</title>');
	writeFileSync(join(root, 'sw.js'), 'self.addEventListener("install", () => {});');
	writeFileSync(join(root, 'manifest.webmanifest'), '{"name":"Gridwalk"}');
	writeFileSync(join(root, '_app/immutable/entry/start.abc123.js'), 'export const x = 1;');
}

async function json(path: string, init: RequestInit = {}) {
	const response = await fetch(`${server.url}${path}`, init);
	return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

const postLogin = (body: string) =>
	json('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

const me = (token: string) => json('/api/me', { headers: { authorization: `Bearer ${token}` } });

/** GET with a path sent exactly as written (fetch would normalise `..`). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
	return new Promise((done, fail) => {
		const url = new URL(server.url);
		const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
			let body = '';
			res.on('data', (chunk) => (body += chunk));
			res.on('end', () => done({ status: res.statusCode ?? 0, body }));
		});
		req.on('error', fail);
		req.end();
	});
}

beforeAll(async () => {
	writeApp(app.path);
	server = await startServerProcess({ dataDir: data.path, env: { STATIC_DIR: app.path } });
});

afterAll(async () => {
	await server?.stop();
	data.remove();
	app.remove();
});

describe('health', () => {
	it('answers /healthz', async () => {
		const { status, body } = await json('/healthz');
		expect(status).toBe(200);
		expect(body.ok).toBe(true);
	});
});

describe('login', () => {
	it('returns a token and the user for the right password', async () => {
		const { status, body } = await postLogin('{"username":"worker1","password":"gridwalk"}');
		expect(status).toBe(200);
		expect(typeof body.token).toBe('string');
		expect(body.user).toEqual({
			username: 'worker1',
			displayName: '李网格员',
			role: 'grid_worker',
			scope: { communityId: 'c1', gridIds: ['g01'] },
			disabled: false
		});
	});

	it('refuses a wrong password and an unknown user alike', async () => {
		for (const body of ['{"username":"worker1","password":"wrong-password"}', '{"username":"nobody","password":"gridwalk"}']) {
			const answer = await postLogin(body);
			expect(answer.status).toBe(401);
			expect(answer.body.error.code).toBe('invalid_credentials');
			expect(typeof answer.body.error.message).toBe('string');
		}
	});

	it('answers bad requests with JSON errors and no stack', async () => {
		for (const body of ['{not json', '{"username":"worker1"}', '[]']) {
			const answer = await postLogin(body);
			expect(answer.status).toBe(400);
			expect(answer.body.error.code).toBe('bad_request');
			expect(JSON.stringify(answer.body)).not.toMatch(/at .*\.ts:\d+/);
		}
		const get = await json('/api/login');
		expect(get.status).toBe(405);
		expect(get.body.error.code).toBe('method_not_allowed');
		expect((await json('/api/unknown')).body.error.code).toBe('not_found');
	});
});

describe('/api/me', () => {
	const index = (access: string) => ({ name: 'c1/index', kind: 'index', access });
	const reg = (grid: string, access: string) => ({ name: `c1/register/${grid}`, kind: 'register', access });

	// Written out by hand from the demo users and a 1000-household demo (grids g01, g02).
	const expected: Record<string, object[]> = {
		coordinator: [index('write'), reg('g01', 'write'), reg('g02', 'write')],
		worker1: [index('read'), reg('g01', 'write')],
		worker2: [index('read'), reg('g02', 'write')],
		tester1: [index('read'), reg('g01', 'read'), reg('g02', 'read')],
		volunteer1: [index('read'), reg('g01', 'read')]
	};

	it.each(Object.keys(expected))('lists the documents %s may open', async (username) => {
		const { status, body } = await me(await login(server.url, username));
		expect(status).toBe(200);
		expect(body.user.username).toBe(username);
		expect(body.documents).toEqual(expected[username]);
	});

	it('refuses a missing, malformed, foreign or expired token', async () => {
		const secret = new Database(join(data.path, 'gridwalk.sqlite'), { readonly: true });
		const key = new Uint8Array(
			(secret.prepare("SELECT value FROM settings WHERE key = 'token_secret'").get() as { value: Buffer }).value
		);
		secret.close();
		const sign = (issuedAt: number, expires: number, signingKey = key) =>
			new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('worker1').setIssuer('gridwalk')
				.setIssuedAt(issuedAt).setExpirationTime(expires).sign(signingKey);
		const now = Math.floor(Date.now() / 1000);
		// The same claims signed with our key pass: so the refusals below are for the reason named.
		expect((await me(await sign(now, now + 60))).status).toBe(200);

		expect((await json('/api/me')).status).toBe(401);
		for (const token of ['garbage', await sign(now - 7200, now - 3600), await sign(now, now + 60, new Uint8Array(32))]) {
			const answer = await me(token);
			expect(answer.status).toBe(401);
			expect(answer.body.error.code).toBe('invalid_token');
		}
	});

	it('refuses a disabled user at once, with a token issued before', async () => {
		const token = await login(server.url, 'worker2');
		await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/admin.ts', 'disable-user', '--username', 'worker2'], {
			cwd: resolve(import.meta.dirname, '../..'),
			env: { ...process.env, DATA_DIR: data.path }
		});
		const answer = await me(token);
		expect(answer.status).toBe(401);
		expect(answer.body.error.code).toBe('account_disabled');
		expect((await postLogin('{"username":"worker2","password":"gridwalk"}')).status).toBe(403);
	});
});

describe('static app', () => {
	it('serves index.html for a deep link, uncached', async () => {
		const response = await fetch(`${server.url}/grid/g01/building/cp1-b2`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^text\/html/);
		expect(response.headers.get('cache-control')).toBe('no-cache');
		expect(await response.text()).toContain('gridwalk test shell');
	});

	it('caches immutable assets for long, and never sw.js or the manifest', async () => {
		const asset = await fetch(`${server.url}/_app/immutable/entry/start.abc123.js`);
		expect(asset.status).toBe(200);
		expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
		expect(asset.headers.get('cache-control')).toContain('immutable');
		for (const path of ['/sw.js', '/manifest.webmanifest', '/']) {
			const response = await fetch(`${server.url}${path}`);
			expect(response.status).toBe(200);
			expect(response.headers.get('cache-control')).toBe('no-cache');
		}
		expect((await fetch(`${server.url}/manifest.webmanifest`)).headers.get('content-type')).toMatch(/manifest\+json/);
	});

	it('answers 404 for a missing file, never index.html in its place', async () => {
		const response = await fetch(`${server.url}/_app/immutable/entry/missing.js`);
		expect(response.status).toBe(404);
		expect(await response.text()).not.toContain('gridwalk test shell');
	});

	it('survives odd request targets', async () => {
		for (const path of ['//', '*', '/%zz']) expect((await rawGet(path)).status).toBeGreaterThan(0);
		expect((await json('/healthz')).status).toBe(200);
	});

	it('serves nothing outside the static directory', async () => {
		for (const path of ['/../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd']) {
			const answer = await rawGet(path);
			expect(answer.body).not.toContain('root:');
		}
	});
});

// Last: it locks volunteer1 out for the rest of this server's life.
describe('login throttle', () => {
	it('slows down repeated failures for a username, then refuses them with 429', async () => {
		const attempt = () => postLogin('{"username":"volunteer1","password":"guess-guess"}');
		const timings: number[] = [];
		let refused: Awaited<ReturnType<typeof attempt>> | undefined;
		for (let i = 0; i < 12 && !refused; i++) {
			const started = Date.now();
			const answer = await attempt();
			timings.push(Date.now() - started);
			if (answer.status === 429) refused = answer;
			else expect(answer.status).toBe(401);
		}
		expect(refused?.body.error.code).toBe('too_many_attempts');
		expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
		// The later failures waited longer than the first ones (growing delay).
		expect(timings.at(-2)!).toBeGreaterThan(timings[0] + 200);
		// Even the right password is refused until the window passes.
		expect((await postLogin('{"username":"volunteer1","password":"gridwalk"}')).status).toBe(429);
	});
});
