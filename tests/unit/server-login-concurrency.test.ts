/**
 * Password guesses sent all at once are counted one by one: the throttle cannot be outrun by
 * concurrency or by changing the username's case.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer } from '../../server/app';

const dir = mkdtempSync(join(tmpdir(), 'gridwalk-guess-'));
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
	server = await startServer({ host: '127.0.0.1', port: 0, dataDir: dir, staticDir: dir, demo: { households: 50 } });
});

afterAll(async () => {
	await server?.close();
	rmSync(dir, { recursive: true, force: true });
});

const attempt = (username: string, password: string) =>
	fetch(`${server.url}/api/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username, password })
	}).then((r) => r.status);

it('twenty simultaneous guesses: only the first few are even checked; the rest are refused', async () => {
	const spellings = ['worker1', 'Worker1', ' WORKER1 ', 'worker1 '];
	const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(spellings[i % 4], `guess-${i}`)));
	expect(statuses.filter((s) => s === 200)).toEqual([]);
	expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(8);
	expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(12);
	// Locked for now, even with the right password.
	expect(await attempt('worker1', 'gridwalk')).toBe(429);
	// Other accounts are not locked by it.
	expect(await attempt('worker2', 'gridwalk')).toBe(200);
}, 30_000);
